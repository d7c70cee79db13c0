# La página del resultado de un proceso.
outcome-page-link = Leer el resultado completo, qué cambió entre versiones y su historial
outcome-page-title = { $outcome } – { $process }
outcome-page-title-none = Resultado – { $process }
outcome-back = Volver al proceso:
outcome-caption = Resultado del proceso
outcome-title-none = Resultado
outcome-published-on = Publicado el { $date }
outcome-not-latest = Está leyendo la versión { $version }, que no es la más reciente.
outcome-see-latest = Leer la versión más reciente (versión { $version })
outcome-note = Qué cambió en esta versión:
outcome-contents = Secciones
outcome-cite = Contribución { $reference }
outcome-more-cites = { $count ->
    [one] y una más, en los datos abiertos
   *[other] y { $count } más, en los datos abiertos
}
outcome-changes-heading = Qué cambió de la versión { $from } a la versión { $to }
outcome-changes-intro = Sección por sección. Las líneas eliminadas llevan la marca «Eliminado» y aparecen tachadas; las añadidas llevan la marca «Añadido» y aparecen subrayadas.
outcome-no-changes = Ninguna sección cambió.
outcome-heading-was = El título era:
outcome-line-added = Añadido:
outcome-line-removed = Eliminado:
outcome-line-same = Sin cambios:
outcome-empty-line = (línea vacía)
outcome-lines-skipped = … (se omiten líneas sin cambios)
outcome-cites-added = { $count ->
    [one] Ahora también se basa en esta contribución:
   *[other] Ahora también se basa en estas { $count } contribuciones:
}
outcome-cites-removed = { $count ->
    [one] Ya no se basa en esta contribución:
   *[other] Ya no se basa en estas { $count } contribuciones:
}
outcome-unchanged-sections = Secciones que no cambiaron:
outcome-change-added = sección nueva
outcome-change-removed = sección eliminada
outcome-change-changed = modificada
outcome-latest = la más reciente
outcome-hash = Huella (SHA-256) de esta versión, tal como consta en el registro público:
outcome-ledger-link = Comprobarla en el registro público
outcome-data = Esta versión en datos abiertos (JSON)
