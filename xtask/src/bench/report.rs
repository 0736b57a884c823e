//! The tables and the goals.

use super::measure::{shorten, Measured, Series, Stat};
use super::progenitor::installed_progenitor_version;
use super::{
    Row, CORPUS_GOAL_MS, DESK_GOAL_MS, LARGE_SPEC_BYTES, LARGE_SPEC_GOAL_MB, MID_SPEC_BYTES, MID_SPEC_GOAL_MB,
    PROGENITOR_GOAL_BYTES, PROGENITOR_GOAL_RATIO,
};
use std::path::Path;

fn stat_cell(stat: Stat) -> String {
    format!("{} / {}", fmt_ms(stat.min), fmt_ms(stat.median))
}

fn fmt_ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

fn time_cell(measured: &Measured) -> String {
    match measured {
        Measured::Done(series) => stat_cell(series.time),
        Measured::Failed(_) => "failed".to_string(),
        Measured::Skipped(why) => why.clone(),
    }
}

fn memory_cell(measured: &Measured) -> String {
    match measured {
        Measured::Done(Series { peak_mb: Some(mb), .. }) => fmt_mb(*mb),
        Measured::Done(_) => "n/a".to_string(),
        _ => "-".to_string(),
    }
}

fn fmt_mb(mb: f64) -> String {
    format!("{mb:.1}")
}

/// Progenitor's median whole-command time over ours.
fn ratio(row: &Row) -> Option<f64> {
    match (&row.ours, &row.progenitor) {
        (Measured::Done(ours), Measured::Done(theirs)) => Some(theirs.time.median / ours.time.median),
        _ => None,
    }
}

/// `1.2x`, or `-` when there is nothing to compare.
pub(super) fn ratio_cell(ratio: Option<f64>) -> String {
    ratio.map(|r| format!("{r:.1}x")).unwrap_or_else(|| "-".to_string())
}

pub(super) fn print_table(rows: &[Row], runs: usize, progenitor_bin: Option<&Path>) {
    println!();
    println!("release build; {runs} timed runs each; ms cells are min / median");
    println!("  KB     = size of the spec file (10^3 bytes)");
    println!("  gen    = in-process codegen::generate_str (parse + IR + emit + render), after one untimed run");
    println!("  lower  = in-process codegen::lower_str (parse + IR only), median");
    println!("  ours   = whole command `target/release/xtask codegen --spec FILE --out DIR --name NAME --config DEFAULTS` (an empty settings file)");
    if let Some(bin) = progenitor_bin {
        let version = installed_progenitor_version(bin).unwrap_or_else(|| "unknown version".to_string());
        println!("  progenitor = whole command `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0` ({version}; YAML passed as is;");
        println!("               it formats its output with rustfmt in a subprocess, which is part of its whole command)");
        println!("  ratio  = progenitor median / ours median");
    }
    println!("  MB     = peak resident memory of a whole command (wait4 ru_maxrss: the largest of the process and the");
    println!("           children it waited for), median of the runs, in 10^6 bytes");
    println!("  output directories are removed before every run (untimed)");
    println!();
    let header = ["spec", "KB", "lines", "gen ms", "lower ms", "ours ms", "ours MB", "progenitor ms", "progenitor MB", "ratio"];
    let table: Vec<Vec<String>> = rows.iter().map(table_row).collect();
    print_grid(&header, &table);
    print_notes(rows);
}

fn table_row(row: &Row) -> Vec<String> {
    let label = row.spec.label.clone();
    let kb = format!("{:.0}", row.spec.bytes as f64 / 1e3);
    match &row.in_process {
        Ok(in_process) => vec![
            label,
            kb,
            in_process.lines.to_string(),
            stat_cell(in_process.generate),
            fmt_ms(in_process.lower.median),
            time_cell(&row.ours),
            memory_cell(&row.ours),
            time_cell(&row.progenitor),
            memory_cell(&row.progenitor),
            ratio_cell(ratio(row)),
        ],
        Err(_) => {
            let mut cells = vec![label, kb, "-".to_string(), "refused".to_string()];
            cells.resize(10, "-".to_string());
            cells
        }
    }
}

/// Prints a table: the first column left-aligned, the others right-aligned, a rule under the
/// header.
pub(super) fn print_grid(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for cells in rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if index == 0 {
                text.push_str(&format!("{cell:<width$}"));
            } else {
                text.push_str(&format!("  {cell:>width$}"));
            }
        }
        println!("{}", text.trim_end());
    };
    line(&header.iter().map(|cell| cell.to_string()).collect::<Vec<_>>());
    line(&widths.iter().map(|width| "-".repeat(*width)).collect::<Vec<_>>());
    for cells in rows {
        line(cells);
    }
}

fn print_notes(rows: &[Row]) {
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

/// Prints every goal, PASS or FAIL (`----` when there was nothing to judge).
pub(super) fn print_goals(rows: &[Row], progenitor_measured: bool) {
    println!();
    println!("goals:");
    print_desk_goal(rows);
    print_corpus_goal(rows);
    print_memory_goal(rows, MID_SPEC_GOAL_MB, "specs of 300 to 600 KB", |bytes| MID_SPEC_BYTES.contains(&bytes));
    print_memory_goal(rows, LARGE_SPEC_GOAL_MB, "every spec of 4 MB or less", |bytes| bytes <= LARGE_SPEC_BYTES);
    print_progenitor_goal(rows, progenitor_measured);
}

fn print_desk_goal(rows: &[Row]) {
    match rows.iter().find(|row| row.spec.is_desk) {
        Some(Row { in_process: Ok(in_process), .. }) => {
            let median = in_process.generate.median;
            println!(
                "  {}  desk generator time (release, in-process median) < {DESK_GOAL_MS:.0} ms: {} ms",
                verdict(median < DESK_GOAL_MS),
                fmt_ms(median)
            );
        }
        Some(_) => println!("  FAIL  desk generator time < {DESK_GOAL_MS:.0} ms: desk could not be generated"),
        None => println!("  ----  desk generator time < {DESK_GOAL_MS:.0} ms: not measured (left out by --only)"),
    }
}

fn print_corpus_goal(rows: &[Row]) {
    if rows.iter().all(|row| row.spec.is_desk) {
        println!("  ----  every corpus spec < {CORPUS_GOAL_MS:.0} ms: no corpus spec selected");
        return;
    }
    let corpus: Vec<&Row> = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_ok()).collect();
    let refused = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_err()).count();
    let mut worst_command: Option<(&str, f64)> = None;
    let mut worst_in_process: Option<(&str, f64)> = None;
    let mut command_failures = 0;
    for row in &corpus {
        match &row.ours {
            Measured::Done(series) if worst_command.is_none_or(|(_, ms)| series.time.median > ms) => {
                worst_command = Some((&row.spec.label, series.time.median));
            }
            Measured::Done(_) => {}
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
}

/// Our whole command's peak memory (median of the runs) against `limit_mb`, for the specs whose
/// file size `applies`. Specs we refuse are not counted; a failed run fails the goal.
fn print_memory_goal(rows: &[Row], limit_mb: f64, which: &str, applies: impl Fn(u64) -> bool) {
    let goal = format!("peak memory <= {limit_mb:.0} MB for {which} (whole command, median of the runs' peaks)");
    let mut largest: Option<(&str, f64)> = None;
    let (mut measured, mut failed) = (0, Vec::new());
    for row in rows.iter().filter(|row| applies(row.spec.bytes)) {
        match &row.ours {
            Measured::Done(Series { peak_mb: Some(mb), .. }) => {
                measured += 1;
                if largest.is_none_or(|(_, most)| *mb > most) {
                    largest = Some((&row.spec.label, *mb));
                }
            }
            Measured::Failed(_) => failed.push(row.spec.label.as_str()),
            _ => {}
        }
    }
    let failed_note = if failed.is_empty() { String::new() } else { format!("; our command failed on {}", failed.join(", ")) };
    match largest {
        Some((label, mb)) => println!(
            "  {}  {goal}: {measured} spec(s), largest {label} {} MB{failed_note}",
            verdict(mb <= limit_mb && failed.is_empty()),
            fmt_mb(mb)
        ),
        None if !failed.is_empty() => println!("  FAIL  {goal}: no run succeeded{failed_note}"),
        None => println!("  ----  {goal}: no such spec measured"),
    }
}

fn print_progenitor_goal(rows: &[Row], progenitor_measured: bool) {
    let goal = format!(
        ">= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command (median / median) on specs of {} KB or more",
        PROGENITOR_GOAL_BYTES / 1000
    );
    if !progenitor_measured {
        println!("  ----  {goal}: not measured (run with --progenitor)");
        return;
    }
    let compared = |large: bool| -> Vec<(&str, f64)> {
        rows.iter()
            .filter(|row| (row.spec.bytes >= PROGENITOR_GOAL_BYTES) == large)
            .filter_map(|row| ratio(row).map(|r| (row.spec.label.as_str(), r)))
            .collect()
    };
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
    let large = compared(true);
    match large.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) {
        Some((label, lowest)) => {
            let below: Vec<&str> = large.iter().filter(|(_, r)| *r < PROGENITOR_GOAL_RATIO).map(|(label, _)| *label).collect();
            let below_note = if below.is_empty() { String::new() } else { format!("; below goal: {}", below.join(", ")) };
            println!(
                "  {}  {goal}: {} spec(s) compared, lowest {label} {lowest:.1}x{below_note}{failed_note}",
                verdict(below.is_empty()),
                large.len()
            );
        }
        None => println!("  ----  {goal}: no such spec where both generated{failed_note}"),
    }
    let small = compared(false);
    let lowest = small.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
    let highest = small.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
    if let (Some((low_label, low)), Some((high_label, high))) = (lowest, highest) {
        println!(
            "  ----  smaller specs, start-up bound (no goal): {} spec(s), {low:.1}x ({low_label}) to {high:.1}x ({high_label})",
            small.len()
        );
    }
}
