# The moderation queue of a process's workspace.
modqueue-title = Cola de moderación
modqueue-heading = Cola de moderación
modqueue-intro = Aportaciones que la gente ha denunciado, con lo que dijo. Oculte una solo si incumple las normas, y diga por qué: todo el mundo leerá su motivo, en el registro público y en el lugar de la aportación.
modqueue-public-log = Ver el registro público de moderación
modqueue-reported = Aportaciones denunciadas
modqueue-reported-none = Nadie ha denunciado una aportación que siga visible.
modqueue-hidden = Aportaciones ocultas
modqueue-hidden-none = Ninguna aportación de este proceso está oculta.
modqueue-contribution = Aportación { $ref }
modqueue-hidden-because = Oculta. Motivo indicado:
modqueue-reports = { $count ->
    [one] 1 denuncia
   *[other] { $count } denuncias
}
modqueue-hide-reason = ¿Por qué ocultarla? (público)
modqueue-hide-reason-hint = Una frase que todo el mundo leerá, por ejemplo: «Datos personales de otra persona».
modqueue-hide = Ocultar la aportación { $ref }
modqueue-restore-reason = ¿Por qué restaurarla? (público)
modqueue-restore-reason-hint = Una frase que todo el mundo leerá, por ejemplo: «Releída, no incumple ninguna norma».
modqueue-restore = Restaurar la aportación { $ref }
modqueue-done-hidden = La aportación está oculta. Su motivo figura en el registro público.
modqueue-done-restored = La aportación vuelve a estar visible. Su motivo figura en el registro público.
modqueue-error-reason-empty = Diga por qué, en una frase
modqueue-error-reason = Escriba el motivo en 1000 caracteres como mucho, sin caracteres de control
modqueue-error-changed = Otra persona acaba de ocultar o restaurar esta aportación; vea dónde está ahora
