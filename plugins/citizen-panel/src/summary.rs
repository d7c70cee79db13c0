//! The results: what anyone needs to follow the panel and check its draw. Section titles (in
//! this order): Summary, Quotas, Panel, Pool, Fairness, Draws.

use std::collections::BTreeMap;

use convene_sdk::results::{table, text};
use convene_sdk::{Localized, Results, Section, tr};

use crate::Config;
use crate::draw::{ALGORITHM, PoolMember};
use crate::state::State;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Seat-holders' replies, counted once: accepted, declined (replaced or not), awaiting.
struct Tally {
    accepted: usize,
    declined: usize,
    awaiting: usize,
}

fn tally(state: &State) -> Tally {
    let mut t = Tally { accepted: 0, declined: 0, awaiting: 0 };
    for seat in state.seats() {
        match (state.replies.get(&seat.pseudonym), seat.replaced_in) {
            (Some(true), None) => t.accepted += 1,
            (Some(false), _) => t.declined += 1,
            (None, None) if state.withdrew(&seat.pseudonym) => t.declined += 1,
            (None, None) => t.awaiting += 1,
            _ => t.declined += 1,
        }
    }
    t
}

/// The pool shown and counted: the one recorded with the draw once drawn, else the live one.
fn pool(state: &State) -> Vec<PoolMember> {
    match &state.first {
        Some(first) => first.pool(),
        None => state.volunteers.iter().map(|(p, a)| PoolMember { pseudonym: p.clone(), answers: a.clone() }).collect(),
    }
}

pub fn results(config: &Config, state: &State) -> Results {
    let pool = pool(state);
    Results {
        sections: vec![
            overview(config, state, pool.len()),
            quotas(config, state, &pool),
            panel(state),
            pool_table(config, state, &pool),
            fairness(state),
            draws(state),
        ],
    }
}

fn overview(config: &Config, state: &State, pool_size: usize) -> Section {
    let title = tr(&[("en", "Summary"), ("es", "Resumen")]);
    let Some(_) = &state.first else {
        return text(
            title,
            tr(&[
                (
                    "en",
                    &format!("Pool: {}. Panel size: {}. The panel has not been drawn yet.", plural(pool_size, "volunteer", "volunteers"), config.panel_size),
                ),
                ("es", &format!("Grupo: {pool_size} personas voluntarias. Tamaño del panel: {}. El panel aún no se ha sorteado.", config.panel_size)),
            ]),
        );
    };
    let t = tally(state);
    let rounds = state.rounds.len() + 1;
    text(
        title,
        tr(&[
            (
                "en",
                &format!(
                    "Pool: {}. Panel size: {}. Rounds drawn: {rounds}. Accepted: {}. Declined: {}. Awaiting a reply: {}.",
                    plural(pool_size, "volunteer", "volunteers"),
                    config.panel_size,
                    t.accepted,
                    t.declined,
                    t.awaiting
                ),
            ),
            (
                "es",
                &format!(
                    "Grupo: {pool_size} personas voluntarias. Tamaño del panel: {}. Rondas sorteadas: {rounds}. Aceptan: {}. Rechazan: {}. Sin responder: {}.",
                    config.panel_size, t.accepted, t.declined, t.awaiting
                ),
            ),
        ]),
    )
}

fn quotas(config: &Config, state: &State, pool: &[PoolMember]) -> Section {
    let panel = state.panel();
    let answers_of: BTreeMap<&str, &BTreeMap<String, String>> = pool.iter().map(|m| (m.pseudonym.as_str(), &m.answers)).collect();
    let count = |people: &mut dyn Iterator<Item = &String>, q: &str, o: &str| {
        people.filter(|p| answers_of.get(p.as_str()).and_then(|a| a.get(q)).is_some_and(|a| a == o)).count().to_string()
    };
    let mut rows = Vec::new();
    for q in &config.questions {
        for o in &q.options {
            let (min, max) = config.quota(&q.id, &o.value);
            let in_pool = pool.iter().filter(|m| m.answers.get(&q.id).is_some_and(|a| a == &o.value)).count();
            rows.push(vec![
                q.id.clone(),
                o.value.clone(),
                min.to_string(),
                max.to_string(),
                in_pool.to_string(),
                count(&mut panel.iter(), &q.id, &o.value),
                count(&mut panel.iter().filter(|p| state.replies.get(*p) == Some(&true)), &q.id, &o.value),
            ]);
        }
    }
    table(
        tr(&[("en", "Quotas"), ("es", "Cuotas")]),
        vec![
            tr(&[("en", "Question"), ("es", "Pregunta")]),
            tr(&[("en", "Option"), ("es", "Opción")]),
            tr(&[("en", "Min"), ("es", "Mín.")]),
            tr(&[("en", "Max"), ("es", "Máx.")]),
            tr(&[("en", "In pool"), ("es", "En el grupo")]),
            tr(&[("en", "Selected"), ("es", "Seleccionadas")]),
            tr(&[("en", "Accepted"), ("es", "Aceptan")]),
        ],
        rows,
    )
}

/// A seat's standing, in words.
fn status(state: &State, pseudonym: &str, replaced_in: Option<u32>) -> String {
    let reply = state.replies.get(pseudonym);
    let left = if reply == Some(&false) { "declined" } else { "withdrew from the pool" };
    match replaced_in {
        Some(r) => format!("{left}; replaced in round {r}"),
        None if reply == Some(&true) => "accepted".into(),
        None if reply == Some(&false) || state.withdrew(pseudonym) => format!("{left}; awaiting a replacement"),
        None => "awaiting a reply".into(),
    }
}

fn panel(state: &State) -> Section {
    let mut seats = state.seats();
    seats.sort_by(|a, b| (a.round, &a.pseudonym).cmp(&(b.round, &b.pseudonym)));
    let rows = seats.iter().map(|s| vec![s.pseudonym.clone(), s.round.to_string(), status(state, &s.pseudonym, s.replaced_in)]).collect();
    table(
        tr(&[("en", "Panel"), ("es", "Panel")]),
        vec![tr(&[("en", "Pseudonym"), ("es", "Seudónimo")]), tr(&[("en", "Round"), ("es", "Ronda")]), tr(&[("en", "Reply"), ("es", "Respuesta")])],
        rows,
    )
}

/// The pseudonymous pool in canonical order (by pseudonym): the input to re-run the draw.
/// Columns: pseudonym, one per question id (configuration order), then, once drawn, each
/// volunteer's selection probability.
fn pool_table(config: &Config, state: &State, pool: &[PoolMember]) -> Section {
    let counts: BTreeMap<&str, u32> = match &state.first {
        Some(f) => f.pool.rows.iter().filter_map(|r| r.first()).map(String::as_str).zip(f.selection_counts.iter().copied()).collect(),
        None => BTreeMap::new(),
    };
    let panels = state.first.as_ref().map_or(1, |f| f.panels.max(1));
    let mut sorted: Vec<&PoolMember> = pool.iter().collect();
    sorted.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    let rows = sorted
        .iter()
        .map(|m| {
            let mut row = vec![m.pseudonym.clone()];
            row.extend(config.questions.iter().map(|q| m.answers.get(&q.id).cloned().unwrap_or_default()));
            if state.first.is_some() {
                row.push(format!("{:.4}", counts.get(m.pseudonym.as_str()).copied().unwrap_or(0) as f64 / panels as f64));
            }
            row
        })
        .collect();
    let mut columns = vec![tr(&[("en", "Pseudonym"), ("es", "Seudónimo")])];
    columns.extend(config.questions.iter().map(|q| Localized::one("en", &q.id)));
    if state.first.is_some() {
        columns.push(tr(&[("en", "Selection probability"), ("es", "Probabilidad de selección")]));
    }
    table(tr(&[("en", "Pool"), ("es", "Grupo")]), columns, rows)
}

fn fairness(state: &State) -> Section {
    let title = tr(&[("en", "Fairness"), ("es", "Equidad")]);
    let Some(f) = &state.first else {
        return text(title, tr(&[("en", "The panel has not been drawn yet."), ("es", "El panel aún no se ha sorteado.")]));
    };
    let en = format!(
        "Lowest selection probability: {:.4}. Mean: {:.4}. Volunteers with no chance of selection: {} of {}.\n\n\
         Algorithm {ALGORITHM}: {} panels meeting every quota were built by multiplicative weights (each panel prefers the volunteers chosen least often so far), \
         approximating the LEXIMIN goal of maximising the lowest chance of selection; the committed seed (SHA-256 {}) picked panel {} of them uniformly. \
         Each volunteer's probability is the share of those panels that include them. Replacement rounds draw from volunteers never selected, \
         preferring the same answers as the person replaced, and are not counted in these probabilities.",
        f.min_probability, f.mean_probability, f.zero_probability, f.pool_size, f.panels, f.seed_sha256, f.panel_index,
    );
    let es = format!(
        "Probabilidad de selección más baja: {:.4}. Media: {:.4}. Personas sin ninguna probabilidad: {} de {}.\n\n\
         Algoritmo {ALGORITHM}: se construyeron {} paneles que cumplen todas las cuotas mediante pesos multiplicativos, aproximando el objetivo LEXIMIN \
         de maximizar la probabilidad más baja; la semilla comprometida (SHA-256 {}) eligió el panel {} de forma uniforme.",
        f.min_probability, f.mean_probability, f.zero_probability, f.pool_size, f.panels, f.seed_sha256, f.panel_index,
    );
    text(title, tr(&[("en", &en), ("es", &es)]))
}

/// The audit record: each round's seed commitment, the pool digest, and who was drawn.
fn draws(state: &State) -> Section {
    let mut rows = Vec::new();
    if let Some(f) = &state.first {
        rows.push(vec!["1".into(), f.algorithm.clone(), f.seed_sha256.clone(), f.pool_digest.clone(), f.selected.join(" ")]);
    }
    for r in &state.rounds {
        let pairs: Vec<String> = r.replaced.iter().zip(&r.replacements).map(|(a, b)| format!("{a} → {b}")).collect();
        let digest = state.first.as_ref().map(|f| f.pool_digest.clone()).unwrap_or_default();
        rows.push(vec![r.round.to_string(), r.algorithm.clone(), r.seed_sha256.clone(), digest, pairs.join(" ")]);
    }
    table(
        tr(&[("en", "Draws"), ("es", "Sorteos")]),
        vec![
            tr(&[("en", "Round"), ("es", "Ronda")]),
            tr(&[("en", "Algorithm"), ("es", "Algoritmo")]),
            tr(&[("en", "Seed SHA-256"), ("es", "SHA-256 de la semilla")]),
            tr(&[("en", "Pool digest"), ("es", "Huella del grupo")]),
            tr(&[("en", "Drawn (replaced → replacement)"), ("es", "Sorteadas (sustituida → sustituta)")]),
        ],
        rows,
    )
}
