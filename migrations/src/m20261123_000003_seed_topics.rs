//! The starting topic taxonomy. Admins extend it later through the API.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::{ChronoUtc, Json, Uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
    Slug,
    Labels,
    CreatedAt,
}

const TOPICS: &[(&str, &str, &str, &str)] = &[
    ("ai-strategy", "AI strategy", "Estrategia de IA", "Stratégie d'IA"),
    ("technology-procurement", "Technology procurement", "Compra pública de tecnología", "Achats publics de technologie"),
    ("regulation", "Regulation", "Regulación", "Régulation"),
    ("digital-services", "Digital services", "Servicios digitales", "Services numériques"),
    ("data-strategy", "Data strategy", "Estrategia de datos", "Stratégie de données"),
    ("open-source", "Open source", "Código abierto", "Logiciel libre"),
    ("automated-decision-making", "Automated decision-making", "Decisiones automatizadas", "Décision automatisée"),
    ("digital-inclusion", "Digital inclusion", "Inclusión digital", "Inclusion numérique"),
    ("open-data", "Open data", "Datos abiertos", "Données ouvertes"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert
            .into_table(Topics::Table)
            .columns([Topics::Id, Topics::Slug, Topics::Labels, Topics::CreatedAt]);
        for (slug, en, es, fr) in TOPICS {
            let labels: Json = serde_json::json!({ "en": en, "es": es, "fr": fr });
            insert.values_panic([
                Uuid::now_v7().into(),
                (*slug).into(),
                labels.into(),
                ChronoUtc::now().into(),
            ]);
        }
        m.exec_stmt(insert).await
    }
}
