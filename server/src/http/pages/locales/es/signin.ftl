# Iniciar y cerrar sesión, y la página que abre un enlace de acceso.
signin-title = Iniciar sesión
signin-intro = Inicia sesión para seguir tus aportaciones, participar y elegir qué correos recibes.
signin-already = Ya has iniciado sesión como
signin-go-to-account = Ir a tu cuenta
signin-link-heading = Recibir un enlace de acceso por correo
signin-link-explain = { $minutes ->
    [one] Escribe tu dirección de correo. Si tiene una cuenta aquí, le enviaremos un enlace que inicia tu sesión. El enlace funciona una sola vez, durante un minuto.
   *[other] Escribe tu dirección de correo. Si tiene una cuenta aquí, le enviaremos un enlace que inicia tu sesión. El enlace funciona una sola vez, durante { $minutes } minutos.
}
signin-email = Dirección de correo electrónico
signin-link-button = Enviarme un enlace de acceso
signin-password-heading = Iniciar sesión con tu contraseña
signin-password-explain = Si elegiste una contraseña, puedes usarla en lugar de un enlace.
signin-password = Contraseña
signin-password-button = Iniciar sesión
signin-new-heading = ¿Eres nuevo aquí?
signin-create-account = Crear una cuenta
signin-error-password-empty = Escribe tu contraseña
signin-error-refused = La dirección de correo o la contraseña no son correctas, o la dirección aún no está confirmada. Revísalas e inténtalo de nuevo, o pide un enlace de acceso por correo.
signin-sent-title = Revisa tu correo
signin-sent-body = Si la dirección que escribiste tiene una cuenta aquí, le hemos enviado un correo con un enlace de acceso. Puede tardar unos minutos en llegar; mira también en la carpeta de correo no deseado.
signin-sent-expiry = { $minutes ->
    [one] El enlace funciona una sola vez, durante un minuto.
   *[other] El enlace funciona una sola vez, durante { $minutes } minutos.
}
signin-sent-nothing = Si no llega ningún correo, puede que la dirección aún no tenga cuenta o que esté escrita de otra manera.
signin-sent-again = Pedir otro enlace
signout-title = Cerrar sesión
signout-here = Cerrar sesión en este dispositivo
signout-everywhere = Cerrar sesión en todas partes
signout-everywhere-hint = Termina todas las sesiones de tu cuenta, en todos los dispositivos y navegadores, también en este. Úsalo si iniciaste sesión en un ordenador que no es tuyo o crees que otra persona puede usar tu cuenta.
signout-done-title = Has cerrado la sesión
signout-done-body = Ya no tienes la sesión iniciada en este dispositivo.
signout-sign-in-again = Volver a iniciar sesión
magic-title = Iniciar sesión
magic-intro = Selecciona el botón para terminar de iniciar sesión en { $instance }.
magic-button = Iniciar sesión
magic-why = Te pedimos que selecciones el botón porque algunos programas de correo abren los enlaces para revisarlos, y eso gastaría tu enlace antes de que lo uses.
magic-refused-title = Este enlace de acceso no funciona
magic-refused-body = { $minutes ->
    [one] Un enlace de acceso funciona una sola vez, durante un minuto. Este ya se ha usado, ha caducado o no se copió entero.
   *[other] Un enlace de acceso funciona una sola vez, durante { $minutes } minutos. Este ya se ha usado, ha caducado o no se copió entero.
}
magic-refused-what-now = Si ya lo usaste, puede que tengas la sesión iniciada: busca «Cuenta» en la parte superior de la página. Si no, pide un enlace nuevo.
magic-refused-new-link = Recibir un enlace de acceso nuevo
