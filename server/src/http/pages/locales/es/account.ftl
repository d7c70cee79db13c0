# La página de la cuenta, y los problemas que pueden tener sus formularios y los de registro e inicio de sesión.
account-title = Tu cuenta
account-email = Dirección de correo electrónico
account-member-since = Cuenta creada el
account-email-private = Tu dirección de correo nunca se muestra a nadie. La usamos para enviarte enlaces de acceso y los correos que elijas abajo.
account-details-heading = Tu nombre e idioma
account-name = Tu nombre
account-language = Idioma
account-language-hint = El idioma de este sitio cuando tienes la sesión iniciada.
account-details-save = Guardar nombre e idioma
account-emails-heading = Correos
account-emails-always = Siempre te enviamos los enlaces de acceso que pides y las respuestas de los organizadores a tus aportaciones.
account-emails-legend = Otros correos
account-emails-activities = Correos de las actividades
account-emails-activities-hint = Mensajes que te envían las actividades en las que participaste, como invitaciones, recordatorios o respuestas a tus preguntas. Cada uno incluye un enlace para dejar de recibirlos.
account-emails-save = Guardar opciones de correo
account-password-heading = Contraseña
account-password-has = Puedes iniciar sesión con tu contraseña o con un enlace que te enviamos por correo.
account-password-none = No tienes contraseña: inicias sesión con enlaces que te enviamos por correo. Puedes elegir una contraseña para iniciar sesión también con ella.
account-current-password = Contraseña actual
account-new-password = Contraseña nueva
account-new-password-hint = { $min ->
    [one] Al menos un carácter.
   *[other] Al menos { $min } caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
}
account-password-change = Cambiar la contraseña
account-password-set = Guardar la contraseña
account-saved-details = Se han guardado tu nombre y tu idioma.
account-saved-emails = Se han guardado tus opciones de correo.
account-saved-password = Se ha guardado tu contraseña.
account-error-email-empty = Escribe tu dirección de correo
account-error-email-format = Escribe una dirección de correo con el formato correcto, como nombre@ejemplo.org
account-error-name-empty = Escribe tu nombre
account-error-name-long = Tu nombre debe tener 100 caracteres o menos
account-error-name-characters = Tu nombre no debe contener caracteres de control ni de formato invisibles
account-error-password-short = Tu contraseña debe tener al menos 12 caracteres
account-error-password-long = Tu contraseña debe tener 128 caracteres o menos
account-error-current-empty = Escribe tu contraseña actual
account-error-current-wrong = Tu contraseña actual no es correcta
account-error-language = Elige un idioma de la lista
