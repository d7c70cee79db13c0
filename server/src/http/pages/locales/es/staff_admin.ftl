# Las páginas de administración de la instancia (/admin).
admin-nav-label = Administración de la instancia
admin-nav-heading = Administración de la instancia
admin-nav-home = Resumen
admin-nav-plugins = Complementos
admin-nav-accounts = Cuentas
admin-nav-jobs = Cola de tareas
admin-nav-federation = Federación
admin-nav-census = Importar censo
admin-nav-topics = Temas
admin-nav-settings = Configuración
admin-yes = Sí
admin-no = No
admin-cancel = Cancelar y volver
admin-next-page = Página siguiente

admin-home-title = Administración de la instancia
admin-home-intro = Solo quienes administran la instancia pueden ver estas páginas. Lo que hagas aquí se aplica a toda la instancia.
admin-home-plugins = instalar, actualizar, desactivar y activar los tipos de actividad.
admin-home-accounts = buscar una cuenta, hacerla administradora, dar o quitar atributos verificados.
admin-home-jobs = ver los correos y demás trabajo pendiente, y volver a intentar el que falló.
admin-home-federation = quién sigue los procesos desde otros sitios, los envíos que fallaron y las instancias bloqueadas.
admin-home-census = importar una lista de identificadores, por ejemplo de residentes, para que las personas puedan demostrar que están en ella.
admin-home-topics = los temas en los que se clasifican los procesos.
admin-home-settings = la configuración de la instancia y dónde cambiarla.

admin-plugins-title = Complementos instalados
admin-plugins-intro = Cada tipo de actividad (consulta, mesa de diálogo y otros) es un complemento. Los complementos se ejecutan aislados: no pueden acceder a la red, a los archivos ni a la base de datos.
admin-plugins-installed = Tipos de actividad de esta instancia
admin-plugins-none = No hay complementos instalados.
admin-plugins-install-heading = Instalar un complemento nuevo
admin-plugins-install-intro = Elige el archivo .wasm del complemento e indica el SHA-256 que publicó su autor, para que el servidor instale exactamente el archivo que esperas.
admin-plugins-install-button = Instalar el complemento
admin-plugin-col-type = Tipo de actividad
admin-plugin-col-version = Versión
admin-plugin-col-status = Estado
admin-plugin-col-source = Origen
admin-plugin-col-publisher = Editor
admin-plugin-col-contract = Contrato
admin-plugin-col-sha = SHA-256
admin-plugin-col-installed = Instalado
admin-plugin-status-active = Activo
admin-plugin-status-disabled = Desactivado
admin-plugin-status-superseded = Sustituido por una versión más nueva
admin-plugin-status-rolled-back = Revertido
admin-plugin-source-builtin = Incluido en el servidor
admin-plugin-source-installed = Instalado por una persona administradora
admin-plugin-file = Archivo del complemento (.wasm)
admin-plugin-file-hint = { $mib } MiB como máximo. Si la página muestra un problema, vuelve a elegir el archivo.
admin-plugin-sha = SHA-256 esperado
admin-plugin-sha-hint = 64 letras y cifras, tal como las publicó el autor del complemento.
admin-plugin-signature = Firma del editor (opcional)
admin-plugin-signature-hint = Tal como la escribió «convene plugin sign» del autor, empezando por ed25519:. Sin ella, el complemento se instala sin firmar.
admin-plugin-error-no-file = Elige el archivo .wasm del complemento
admin-plugin-error-no-sha = Escribe el SHA-256 que esperas que tenga el archivo
admin-plugin-title = Complemento { $type }
admin-plugin-heading = Complemento
admin-plugin-back = Volver a todos los complementos
admin-plugin-done-installed = El complemento está instalado y activo. Quienes organizan ya pueden añadir actividades de este tipo.
admin-plugin-done-upgraded = El complemento está actualizado. Las actividades existentes de este tipo usan ya la versión nueva.
admin-plugin-done-disabled = El complemento está desactivado.
admin-plugin-done-enabled = El complemento vuelve a estar activo.
admin-plugin-done-rolled-back = El complemento ha vuelto a su versión anterior.
admin-plugin-unsigned = Este complemento no está firmado: nadie puede demostrar quién lo publicó, y aceptará cualquier actualización sin firmar. Pide a su autor que firme sus versiones.
admin-plugin-actions = Qué puedes hacer
admin-plugin-disable = Desactivar
admin-plugin-enable = Activar
admin-plugin-rollback = Volver a la versión anterior
admin-plugin-disabled-means = Mientras esté desactivado, no se pueden añadir actividades de este tipo y sus actividades no aceptan aportaciones. No se pierde nada de lo guardado.
admin-plugin-upgrade-heading = Actualizar a una versión más nueva
admin-plugin-upgrade-intro = Elige el archivo de una versión más nueva de este mismo complemento. Todas las actividades existentes de este tipo deben aceptar la versión nueva; si no, la actualización se rechaza.
admin-plugin-upgrade-button = Actualizar el complemento
admin-plugin-replace-publisher = Aceptar otro editor
admin-plugin-replace-publisher-hint = Solo si el autor cambió de claves o te haces cargo del complemento: el código del nuevo editor ejecutará todas las actividades de este tipo.
admin-plugin-builtin-upgrade = Los complementos incluidos en el servidor se actualizan con el propio servidor.
admin-plugin-versions = Todas las versiones de este complemento
admin-plugin-disable-title = ¿Desactivar { $type }?
admin-plugin-disable-what = No se podrán añadir actividades de este tipo, y sus actividades dejarán de aceptar aportaciones hasta que lo vuelvas a activar.
admin-plugin-disable-kept = No se borra nada: se conservan las aportaciones, los resultados y la configuración.
admin-plugin-disable-button = Desactivar el complemento
admin-plugin-rollback-title = ¿Revertir { $type }?
admin-plugin-rollback-what = La versión { $current } se sustituirá por la versión { $previous }, la que funcionaba antes. Las actividades existentes conservan sus datos.
admin-plugin-rollback-ledger = La reversión queda escrita en el registro público.
admin-plugin-rollback-button = Revertir
admin-plugin-rollback-refused = Se rechazó la reversión:

admin-accounts-title = Cuentas
admin-accounts-intro = Busca una cuenta por su dirección de correo para hacerla administradora o darle un atributo verificado.
admin-accounts-search = La dirección de correo contiene
admin-accounts-search-hint = Basta con una parte de la dirección, por ejemplo @example.org.
admin-accounts-search-button = Buscar
admin-accounts-results = Cuentas cuya dirección contiene «{ $email }»
admin-accounts-all = Cuentas más recientes
admin-accounts-none = Ninguna cuenta coincide.
admin-accounts-col-email = Dirección de correo
admin-accounts-col-name = Nombre
admin-accounts-col-admin = Administradora
admin-accounts-col-attributes = Atributos verificados
admin-account-title = Cuenta { $email }
admin-account-heading = Cuenta
admin-account-back = Volver a las cuentas
admin-account-language = Idioma
admin-account-verified = Dirección confirmada
admin-account-created = Creada
admin-account-admin-heading = Derecho de administración
admin-account-admin-is = Esta cuenta administra la instancia.
admin-account-admin-not = Esta cuenta no administra la instancia.
admin-account-admin-self = Es tu cuenta. No puedes quitarte tu propio derecho de administración: debe hacerlo otra persona administradora, para que la instancia siempre conserve una.
admin-account-admin-grant = Hacer administradora
admin-account-admin-remove = Quitar el derecho de administración
admin-account-attributes-heading = Atributos verificados
admin-account-attributes-intro = Un atributo verificado, como residente, permite a una persona participar en las actividades limitadas a él.
admin-account-attributes-none = Esta cuenta no tiene atributos verificados.
admin-account-col-attribute = Atributo
admin-account-col-source = Concedido por
admin-account-col-granted = Concedido el
admin-account-col-action = Acción
admin-account-source-admin = Una persona administradora
admin-account-source-census = Una coincidencia con el censo
admin-account-revoke = Quitar
admin-account-grant-label = Atributo que se concede
admin-account-grant-hint = Letras minúsculas, cifras y guiones, por ejemplo resident.
admin-account-grant = Conceder el atributo
admin-account-error-no-attribute = Escribe el atributo que quieres conceder
admin-account-done-admin-granted = La cuenta administra ahora la instancia.
admin-account-done-admin-removed = La cuenta ya no administra la instancia.
admin-account-done-granted = El atributo está concedido.
admin-account-done-revoked = El atributo está retirado.

admin-jobs-title = Cola de tareas
admin-jobs-intro = Los correos y demás trabajo que el servidor hace en segundo plano. No se muestra el contenido de las tareas (direcciones, textos).
admin-jobs-counts = Tareas por estado
admin-jobs-status-pending = En espera
admin-jobs-status-running = En curso
admin-jobs-status-failed = Fallidas
admin-jobs-status-done = Hechas
admin-jobs-failed = Tareas fallidas
admin-jobs-failed-none = Ninguna tarea ha fallado.
admin-jobs-failed-intro = Estas tareas fallaron cada vez que se intentaron y ya no se reintentan solas. Corrige la causa (un servidor de correo, por ejemplo) y vuelve a intentarlas.
admin-jobs-waiting = Tareas en espera
admin-jobs-waiting-none = Ninguna tarea está en espera.
admin-jobs-col-kind = Tipo
admin-jobs-col-status = Estado
admin-jobs-col-attempts = Intentos
admin-jobs-col-next = Próximo intento
admin-jobs-col-failed-at = Falló el
admin-jobs-col-error = Último error
admin-jobs-col-action = Acción
admin-jobs-retry = Volver a intentar
admin-jobs-done-retried = La tarea vuelve a estar en la cola y se ejecutará enseguida.

admin-census-title = Importar censo
admin-census-intro = Importa un archivo CSV de identificadores, por ejemplo los números de identidad de los residentes. Quien indique un identificador de la lista recibe el atributo.
admin-census-hashes = Los identificadores nunca se guardan: solo una huella con clave de cada uno. Verás las primeras filas antes de importar nada.
admin-census-attribute = Atributo que concede el censo
admin-census-attribute-hint = Letras minúsculas, cifras y guiones, por ejemplo resident.
admin-census-file = Archivo CSV
admin-census-file-hint = Una fila de encabezado con una columna llamada identifier. Aquí { $mib } MiB como máximo; importa los archivos más grandes por la API.
admin-census-preview-button = Ver las primeras filas
admin-census-error-no-attribute = Escribe el atributo que concede el censo
admin-census-error-no-file = Elige el archivo CSV del censo
admin-census-error-too-large = El archivo ocupa más de { $mib } MiB: impórtalo por la API
admin-census-preview-title = Revisa el censo antes de importarlo
admin-census-preview-summary = El archivo tiene { $rows } filas. Al importarlo, quienes indiquen uno de sus identificadores recibirán el atributo { $attribute }.
admin-census-first-rows = { $count ->
    [one] La primera fila
   *[other] Las primeras { $count } filas
}
admin-census-identifier-column = identificadores
admin-census-preview-stored = Todavía no se ha guardado nada. Solo se importa la columna de identificadores; las demás se ignoran.
admin-census-import-button = { $count ->
    [one] Importar 1 fila
   *[other] Importar { $count } filas
}
admin-census-choose-another = Elegir otro archivo
admin-census-done-title = Censo importado
admin-census-done-summary = Se leyeron { $rows } filas para el atributo { $attribute }.
admin-census-rows = Filas leídas
admin-census-imported = Identificadores nuevos importados
admin-census-already = Ya estaban en el censo
admin-census-rejected = Filas rechazadas
admin-census-rejected-heading = Filas rechazadas
admin-census-col-line = Línea
admin-census-col-problem = Problema
admin-census-rejected-more = { $count ->
    [one] Y una fila rechazada más.
   *[other] Y { $count } filas rechazadas más.
}
admin-census-another = Importar otro archivo

admin-topics-title = Temas
admin-topics-intro = Los procesos se clasifican en temas, para que las personas encuentren los que les interesan.
admin-topics-list = Temas de esta instancia
admin-topics-none = Todavía no hay temas.
admin-topics-col-slug = Nombre corto
admin-topics-col-label = Nombre ({ $lang })
admin-topics-create = Añadir un tema
admin-topics-slug = Nombre corto
admin-topics-slug-hint = Letras minúsculas, cifras y guiones, que se usan en las direcciones, por ejemplo datos-abiertos.
admin-topics-labels = El nombre del tema
admin-topics-labels-hint = En al menos uno de los idiomas de la instancia.
admin-topics-create-button = Añadir el tema
admin-topics-done-created = El tema está añadido.

admin-settings-title = Configuración
admin-settings-intro = Esta configuración se lee cuando arranca el servidor. Para cambiar un valor, cámbialo en el archivo de configuración convene.toml o en su variable de entorno y reinicia el servidor.
admin-settings-caption = La configuración de la instancia
admin-settings-col-setting = Ajuste
admin-settings-col-value = Valor actual
admin-settings-col-where = Dónde se define
admin-settings-name = Nombre de la instancia
admin-settings-languages = Idiomas ofrecidos
admin-settings-default-language = Idioma predeterminado
admin-settings-public-url = Dirección pública
admin-settings-mail-from = Los correos se envían desde
admin-settings-magic-link = Los enlaces de acceso duran
admin-settings-refresh = Las sesiones duran
admin-settings-minutes = { $n ->
    [one] 1 minuto
   *[other] { $n } minutos
}
admin-settings-days = { $n ->
    [one] 1 día
   *[other] { $n } días
}

admin-federation-title = Federación
admin-federation-intro = Quienes usan Mastodon u otros sitios del fediverso pueden seguir los procesos públicos: sus novedades se envían a los sitios de quienes los siguen. Solo se pueden seguir los procesos públicos publicados.
admin-federation-status = Estado
admin-federation-enabled = Federación
admin-federation-on = Activada
admin-federation-off = Desactivada
admin-federation-off-how = Ningún proceso se puede seguir desde otro sitio. Para activar la federación, ponga federation.enabled en convene.toml (o CONVENE_FEDERATION__ENABLED) y reinicie el servidor.
admin-federation-actor = El actor de esta instancia
admin-federation-pending = Envíos en espera
admin-federation-followers = Seguidores
admin-federation-followers-intro = Quién sigue cada proceso desde otro sitio.
admin-federation-followers-none = Todavía nadie sigue un proceso desde otro sitio.
admin-federation-followers-count = { $count ->
    [one] 1 seguidor
   *[other] { $count } seguidores
}
admin-federation-col-follower = Seguidor
admin-federation-col-instance = Instancia
admin-federation-col-since = Sigue desde
admin-federation-failed = Envíos fallidos
admin-federation-failed-none = Ningún envío ha fallado.
admin-federation-failed-intro = Estos envíos fallaron una y otra vez hasta que se abandonaron. Cuando el otro sitio vuelva a funcionar, inténtelos de nuevo.
admin-federation-col-inbox = Bandeja de entrada
admin-federation-col-activity = Actividad
admin-federation-col-attempts = Intentos
admin-federation-col-error = Último error
admin-federation-col-given-up = Abandonado el
admin-federation-col-action = Acción
admin-federation-retry = Intentar de nuevo
admin-federation-blocked = Instancias bloqueadas
admin-federation-blocked-intro = No se envía nada a una instancia bloqueada ni se recibe nada de ella, y sus usuarios dejan de seguir los procesos de aquí.
admin-federation-blocked-none = No hay ninguna instancia bloqueada.
admin-federation-col-reason = Motivo
admin-federation-col-blocked-since = Bloqueada desde
admin-federation-no-reason = Sin motivo
admin-federation-unblock = Desbloquear
admin-federation-block = Bloquear una instancia
admin-federation-block-instance = Nombre de la instancia
admin-federation-block-instance-hint = Por ejemplo social.example. También sirve la dirección de cualquier página suya.
admin-federation-block-reason = Motivo (opcional)
admin-federation-block-reason-hint = Para los demás administradores, por ejemplo spam. Como máximo 500 caracteres.
admin-federation-block-button = Bloquear la instancia
admin-federation-error-no-instance = Escriba el nombre de la instancia que quiere bloquear, por ejemplo social.example
admin-federation-error-instance = Escriba solo el nombre de la instancia, por ejemplo social.example
admin-federation-done-blocked = La instancia está bloqueada. Sus usuarios ya no siguen los procesos de aquí.
admin-federation-done-unblocked = La instancia está desbloqueada. Sus usuarios pueden volver a seguir los procesos.
admin-federation-done-retried = El envío ha vuelto a la cola y saldrá en un momento.
admin-federation-not-blocked = Esa instancia no está bloqueada.
