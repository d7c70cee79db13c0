# Crear una cuenta.
signup-title = Crear una cuenta
signup-intro = Con una cuenta en { $instance } puedes participar en los procesos y ver qué pasa con tus aportaciones.
signup-email = Dirección de correo electrónico
signup-email-hint = Te enviaremos un enlace para confirmarla. Nunca mostramos tu dirección de correo a nadie.
signup-name = Tu nombre
signup-name-hint = Los demás ven este nombre junto a lo que escribes. Puede ser tu nombre de pila o un apodo.
signup-password = Contraseña (opcional)
signup-password-hint = { $min ->
    [one] Siempre puedes iniciar sesión con un enlace que te enviamos por correo. Si también quieres iniciar sesión con una contraseña, elige una de al menos un carácter.
   *[other] Siempre puedes iniciar sesión con un enlace que te enviamos por correo. Si también quieres iniciar sesión con una contraseña, elige una de al menos { $min } caracteres.
}
signup-button = Crear la cuenta
signup-have-account = ¿Ya tienes una cuenta?
signup-sign-in = Iniciar sesión
signup-sent-title = Revisa tu correo
signup-sent-body = Hemos enviado un correo a la dirección que escribiste. Selecciona el enlace que contiene para terminar de crear tu cuenta e iniciar sesión. Puede tardar unos minutos en llegar; mira también en la carpeta de correo no deseado.
signup-sent-nothing = Si la dirección ya tenía una cuenta, el correo lo dice y te permite iniciar sesión.
signup-sent-sign-in = Iniciar sesión
