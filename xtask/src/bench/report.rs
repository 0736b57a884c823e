//! The table and the goals.

use super::measure::{shorten, Measured, Stat};
use super::progenitor::installed_progenitor_version;
use super::{Row, CORPUS_GOAL_MS, DESK_GOAL_MS, PROGENITOR_GOAL_RATIO};
use std::path::Path;

pub(super) fn stat_cell(stat: Stat) -> String {
    format!("{} / {}", fmt_ms(stat.min), fmt_ms(stat.median))
}

pub(super) fn fmt_ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

pub(super) fn measured_cell(measured: &Measured) -> String {
    match measured {
        Measured::Timed(stat) => stat_cell(*stat),
        Measured::Failed(_) => "failed".to_string(),
        Measured::Skipped(why) => why.clone(),
    }
}

pub(super) fn ratio(row: &Row) -> Option<f64> {
    match (&row.ours, &row.progenitor) {
        (Measured::Timed(ours), Measured::Timed(theirs)) => Some(theirs.median / ours.median),
        _ => None,
    }
}

pub(super) fn print_table(rows: &[Row], runs: usize, progenitor_bin: Option<&Path>) {
    println!();
    println!("release build; {runs} timed runs each; cells are min / median in ms");
    println!("  gen    = in-process codegen::generate_str (parse + IR + emit + render), after one untimed run");
    println!("  lower  = in-process codegen::lower_str (parse + IR only), median");
    println!("  ours   = whole command `target/release/xtask codegen --spec FILE --out DIR --name NAME`");
    if let Some(bin) = progenitor_bin {
        let version = installed_progenitor_version(bin).unwrap_or_else(|| "unknown version".to_string());
        println!("  progenitor = whole command `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0` ({version}; YAML passed as is;");
        println!("               it formats its output with rustfmt in a subprocess, which is part of its whole command)");
        println!("  ratio  = progenitor median / ours median");
    }
    println!("  output directories are removed before every run (untimed)");
    println!();
    let header = ["spec", "lines", "gen ms", "lower ms", "ours ms", "progenitor ms", "ratio"];
    let mut table: Vec<[String; 7]> = Vec::new();
    for row in rows {
        match &row.in_process {
            Ok(in_process) => table.push([
                row.spec.label.clone(),
                in_process.lines.to_string(),
                stat_cell(in_process.generate),
                fmt_ms(in_process.lower.median),
                measured_cell(&row.ours),
                measured_cell(&row.progenitor),
                ratio(row).map(|r| format!("{r:.1}x")).unwrap_or_else(|| "-".to_string()),
            ]),
            Err(_) => {
                let dash = || "-".to_string();
                table.push([row.spec.label.clone(), dash(), "refused".to_string(), dash(), dash(), dash(), dash()])
            }
        }
    }
    let mut widths = header.map(str::len);
    for cells in &table {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index == 0 {
                text.push_str(&format!("{cell:<width$}"));
            } else {
                text.push_str(&format!("  {cell:>width$}"));
            }
        }
        println!("{}", text.trim_end());
    };
    line(&header.map(str::to_string));
    line(&widths.map(|w| "-".repeat(w)));
    for cells in &table {
        line(cells);
    }

    let notes: Vec<String> = rows
        .iter()
        .flat_map(|row| {
            let mut notes = Vec::new();
            if let Err(reason) = &row.in_process {
                notes.push(format!("{}: refused by our generator: {}", row.spec.label, shorten(reason, 110)));
            }
            if let Measured::Failed(reason) = &row.ours {
                notes.push(format!("{}: our command failed: {reason}", row.spec.label));
            }
            if let Measured::Failed(reason) = &row.progenitor {
                notes.push(format!("{}: progenitor failed: {reason}", row.spec.label));
            }
            notes
        })
        .collect();
    if !notes.is_empty() {
        println!();
        for note in notes {
            println!("{note}");
        }
    }
}

pub(super) fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
    }
}

pub(super) fn print_goals(rows: &[Row], progenitor_measured: bool) {
    println!();
    println!("goals:");

    match rows.iter().find(|row| row.spec.is_desk) {
        Some(Row { in_process: Ok(in_process), .. }) => {
            let median = in_process.generate.median;
            println!(
                "  {}  desk generator time (release, in-process median) < {DESK_GOAL_MS:.0} ms: {} ms",
                verdict(median < DESK_GOAL_MS),
                fmt_ms(median)
            );
        }
        _ => println!("  FAIL  desk generator time < {DESK_GOAL_MS:.0} ms: desk could not be generated"),
    }

    let corpus: Vec<&Row> = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_ok()).collect();
    let refused = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_err()).count();
    let mut worst_command: Option<(&str, f64)> = None;
    let mut worst_in_process: Option<(&str, f64)> = None;
    let mut command_failures = 0;
    for row in &corpus {
        match &row.ours {
            Measured::Timed(stat) if worst_command.is_none_or(|(_, ms)| stat.median > ms) => {
                worst_command = Some((&row.spec.label, stat.median));
            }
            Measured::Timed(_) => {}
            _ => command_failures += 1,
        }
        if let Ok(in_process) = &row.in_process {
            if worst_in_process.is_none_or(|(_, ms)| in_process.generate.median > ms) {
                worst_in_process = Some((&row.spec.label, in_process.generate.median));
            }
        }
    }
    match worst_command {
        Some((label, median)) => {
            let in_process = worst_in_process.map(|(l, m)| format!("; slowest in-process: {l} {} ms", fmt_ms(m))).unwrap_or_default();
            let failures =
                if command_failures > 0 { format!("; {command_failures} command run(s) failed") } else { String::new() };
            println!(
                "  {}  every accepted corpus spec < {CORPUS_GOAL_MS:.0} ms as a whole command (median): {} specs, slowest {label} {} ms{in_process}{failures} ({refused} refused specs not counted)",
                verdict(median < CORPUS_GOAL_MS && command_failures == 0),
                corpus.len(),
                fmt_ms(median)
            );
        }
        None => println!("  FAIL  every corpus spec < {CORPUS_GOAL_MS:.0} ms: no corpus spec was timed"),
    }

    if !progenitor_measured {
        println!("  ----  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command: not measured (run with --progenitor)");
        return;
    }
    let compared: Vec<(&str, f64)> = rows.iter().filter_map(|row| ratio(row).map(|r| (row.spec.label.as_str(), r))).collect();
    let progenitor_failed: Vec<&str> = rows
        .iter()
        .filter(|row| matches!(row.progenitor, Measured::Failed(_)))
        .map(|row| row.spec.label.as_str())
        .collect();
    let failed_note = if progenitor_failed.is_empty() {
        String::new()
    } else {
        format!("; progenitor failed on {} spec(s), not compared: {}", progenitor_failed.len(), progenitor_failed.join(", "))
    };
    match compared.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) {
        Some((label, lowest)) => {
            let below: Vec<&str> =
                compared.iter().filter(|(_, r)| *r < PROGENITOR_GOAL_RATIO).map(|(label, _)| *label).collect();
            let below_note = if below.is_empty() { String::new() } else { format!("; below goal: {}", below.join(", ")) };
            println!(
                "  {}  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command (median / median): {} spec(s) compared, lowest {label} {lowest:.1}x{below_note}{failed_note}",
                verdict(below.is_empty()),
                compared.len()
            );
        }
        None => println!(
            "  FAIL  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command: no spec where both generated{failed_note}"
        ),
    }
}
