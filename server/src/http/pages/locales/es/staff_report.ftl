# El panel del informe (espacio de trabajo del personal).
staff-report-title = Informe
staff-report-intro = Cómo se está usando la participación del público, tal como lo muestra el informe público, con lo que requiere su atención primero.
staff-report-public-link = Ver el informe público
staff-report-risk-heading = Compromisos en riesgo
staff-report-risk-none = Ningún compromiso está en riesgo: ningún plazo está cerca o vencido con trabajo pendiente.
staff-report-todo-respond = { $overdue } contribuciones han pasado el plazo sin respuesta y { $soon } más vencen en menos de una semana. El compromiso es responder en { $days } días desde el cierre.
staff-report-todo-respond-link = Responder a las contribuciones pendientes
staff-report-todo-outcome = El resultado aún no está publicado. El compromiso es publicarlo en { $days } días desde el final de la última fase.
staff-report-todo-outcome-link = Redactar y publicar el resultado
staff-report-others-heading = Otros compromisos
staff-report-use-heading = Cómo se usó la participación
staff-report-activities-caption = Contribuciones y respuestas por actividad
staff-report-col-activity = Actividad
staff-report-col-contributions = Contribuciones
staff-report-col-responded = Con respuesta
staff-report-col-waiting = Pendientes
staff-report-generated = Contado el { $when }.
