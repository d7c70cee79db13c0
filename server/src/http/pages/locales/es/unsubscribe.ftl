# La página que abre el enlace para darse de baja de un correo.
unsubscribe-title = Dejar de recibir correos de las actividades
unsubscribe-intro = Las actividades de { $instance } (consultas, paneles, grupos de supervisión y otras) dejarán de enviarte correos.
unsubscribe-still = Seguirás recibiendo los enlaces de acceso que pidas y las respuestas de los organizadores a tus aportaciones.
unsubscribe-button = Dejar de recibir correos de las actividades
unsubscribe-done-title = Ya no recibirás correos de las actividades
unsubscribe-done-body = Las actividades de { $instance } ya no te enviarán correos.
unsubscribe-done-still = Puedes volver a activarlos en las opciones de correo de tu cuenta.
unsubscribe-settings = Tus opciones de correo
unsubscribe-refused-title = Este enlace para darse de baja no funciona
unsubscribe-refused-body = Puede que no se copiara entero. Copia el enlace completo del correo, o inicia sesión y elige qué correos recibes en tu cuenta.
