# Le tableau de bord du rapport (espace de travail de l'équipe).
staff-report-title = Rapport
staff-report-intro = Comment la participation du public est utilisée, telle que le rapport public la montre, avec ce qui demande votre attention en premier.
staff-report-public-link = Voir le rapport public
staff-report-risk-heading = Engagements en danger
staff-report-risk-none = Aucun engagement n'est en danger : aucune échéance n'est proche ou dépassée avec du travail restant.
staff-report-todo-respond = { $overdue } contributions ont dépassé l'échéance sans réponse et { $soon } autres arrivent à échéance dans la semaine. L'engagement est de répondre dans les { $days } jours suivant la clôture.
staff-report-todo-respond-link = Répondre aux contributions en attente
staff-report-todo-outcome = Le résultat n'est pas encore publié. L'engagement est de le publier dans les { $days } jours suivant la fin de la dernière phase.
staff-report-todo-outcome-link = Rédiger et publier le résultat
staff-report-others-heading = Autres engagements
staff-report-use-heading = Comment la participation a été utilisée
staff-report-activities-caption = Contributions et réponses par activité
staff-report-col-activity = Activité
staff-report-col-contributions = Contributions
staff-report-col-responded = Avec une réponse
staff-report-col-waiting = En attente
staff-report-generated = Compté le { $when }.
