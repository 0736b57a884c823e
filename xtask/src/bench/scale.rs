//! `--scale`: specs that grow one thing at a time (schemas, operations, enum values, properties,
//! variants, chains, parameters, responses; 3.0, 3.1 and Swagger 2.0), each written at a size and
//! at twice that size, so that work which grows faster than its input shows as a time ratio well
//! above 2. Each such blow-up found so far was a scan inside a loop (a list searched for every
//! item, every union looked at again for each of its variants); the table keeps them found.

use super::measure::Measured;
use super::Row;
use serde_json::{json, Map, Value};
use std::path::Path;

/// A time ratio above this between a spec and its double is reported as faster than linear.
/// Twice the work is 2.0; the rest is noise and the fixed cost of a larger output.
const SUPERLINEAR_RATIO: f64 = 2.6;
/// Below this (whole command, median) a ratio is mostly process start and noise.
const MEANINGFUL_MS: f64 = 40.0;

/// Each kind of growth and its smaller size.
const KINDS: &[(&str, usize)] = &[
    ("schemas", 1500),
    ("operations", 600),
    ("one-tag", 600),
    ("enum-values", 5000),
    ("properties", 2000),
    ("variants", 500),
    ("all-of-chain", 60),
    ("alias-chain", 1000),
    ("parameters", 500),
    ("parameter-refs", 2000),
    ("responses", 150),
    ("swagger-definitions", 1500),
    ("swagger-operations", 600),
    ("oas31-schemas", 1000),
];

/// Writes every spec (`KIND-N.json` at N and 2N) into `dir`.
pub(super) fn write_specs(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    for &(kind, n) in KINDS {
        for size in [n, 2 * n] {
            let path = dir.join(format!("{kind}-{size}.json"));
            let text = serde_json::to_string(&spec(kind, size)).map_err(|err| err.to_string())?;
            std::fs::write(&path, text).map_err(|err| format!("{}: {err}", path.display()))?;
        }
    }
    Ok(())
}

/// Prints, for each kind, the whole command's median time at N and 2N and their ratio, beside
/// the ratio of the generated lines: where the output itself grows faster than the input (each
/// struct of an `allOf` chain holds every ancestor's properties), the time follows it.
pub(super) fn print_growth(rows: &[Row]) {
    println!("\ngrowth: whole command median at N and 2N (a time ratio near 2, or near the lines' ratio, is linear in the output)");
    let mut grid = Vec::new();
    let mut flagged = Vec::new();
    let mut failed = Vec::new();
    for &(kind, n) in KINDS {
        let present = |size: usize| rows.iter().any(|row| row.spec.label == format!("{kind}-{size}.json"));
        if !present(n) || !present(2 * n) {
            continue; // a size left out by --only: no pair to compare
        }
        let measured = |size: usize| {
            let label = format!("{kind}-{size}.json");
            let row = rows.iter().find(|row| row.spec.label == label)?;
            let lines = row.in_process.as_ref().ok()?.lines as f64;
            match &row.ours {
                Measured::Done(series) => Some((series.time.median, lines)),
                _ => None,
            }
        };
        let (small, large) = (measured(n), measured(2 * n));
        let pair = small.zip(large);
        let time_ratio = pair.map(|((small, _), (large, _))| large / small);
        let lines_ratio = pair.map(|((_, small), (_, large))| large / small.max(1.0));
        let meaningful = large.is_some_and(|(ms, _)| ms >= MEANINGFUL_MS);
        let verdict = match time_ratio.zip(lines_ratio) {
            Some(_) if !meaningful => "too small to tell",
            Some((time, lines)) if time > SUPERLINEAR_RATIO.max(lines * 1.3) => {
                flagged.push(kind);
                "FASTER THAN ITS OUTPUT"
            }
            Some((_, lines)) if lines > SUPERLINEAR_RATIO => "linear in its output, which grows faster",
            Some(_) => "linear",
            None => {
                failed.push(kind);
                "failed"
            }
        };
        let ms = |measured: Option<(f64, f64)>| measured.map_or("failed".to_string(), |(ms, _)| format!("{ms:.1}"));
        let ratio = |ratio: Option<f64>| ratio.map_or("-".to_string(), |ratio| format!("{ratio:.2}"));
        grid.push(vec![kind.to_string(), n.to_string(), ms(small), ms(large), ratio(time_ratio), ratio(lines_ratio), verdict.to_string()]);
    }
    super::report::print_grid(&["grows", "N", "ms at N", "ms at 2N", "time ratio", "lines ratio", ""], &grid);
    if !failed.is_empty() {
        println!("  FAIL  not generated: {}", failed.join(", "));
    }
    if flagged.is_empty() {
        println!("  PASS  no kind of growth costs more than {SUPERLINEAR_RATIO}x (or 1.3x its output's growth) for twice the input");
    } else {
        println!("  FAIL  faster than linear: {}", flagged.join(", "));
    }
}

fn document(paths: Value, schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Scale", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// One operation answering with schema `S0`, tagged by `tag`.
fn operation(id: &str, tag: &str) -> Map<String, Value> {
    let value = json!({
        "operationId": id,
        "tags": [tag],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}},
    });
    value.as_object().cloned().unwrap_or_default()
}

fn s0() -> (String, Value) {
    ("S0".to_string(), json!({"type": "object", "properties": {"a": {"type": "string"}}}))
}

/// One path `/x` with one operation answering with `S0`.
fn one_path() -> Value {
    json!({"/x": {"get": operation("x", "t")}})
}

fn spec(kind: &str, n: usize) -> Value {
    let mut schemas: Map<String, Value> = [s0()].into_iter().collect();
    let mut paths = Map::new();
    match kind {
        "schemas" => {
            for i in 1..n {
                let schema = json!({
                    "type": "object", "description": format!("Schema {i}"), "required": ["a"],
                    "properties": {"a": {"type": "string", "maxLength": 10}, "b": {"$ref": format!("#/components/schemas/S{}", i - 1)}},
                });
                schemas.insert(format!("S{i}"), schema);
            }
            return document(one_path(), schemas);
        }
        "operations" | "one-tag" => {
            for i in 0..n {
                let tag = if kind == "one-tag" { "one".to_string() } else { format!("t{}", i % 7) };
                let mut op = operation(&format!("op{i}"), &tag);
                op.insert(
                    "parameters".into(),
                    json!([
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 9}},
                    ]),
                );
                paths.insert(format!("/items{i}/{{id}}"), json!({"get": op}));
            }
        }
        "enum-values" => {
            let values: Vec<String> = (0..n).map(|i| format!("value_{i}")).collect();
            schemas.insert("E".into(), json!({"type": "string", "enum": values}));
            return document(one_path(), schemas);
        }
        "properties" => {
            let properties: Map<String, Value> = (0..n).map(|i| (format!("p{i}"), json!({"type": "string"}))).collect();
            let required: Vec<String> = (0..n).step_by(2).map(|i| format!("p{i}")).collect();
            schemas.insert("W".into(), json!({"type": "object", "properties": properties, "required": required}));
            return document(one_path(), schemas);
        }
        "variants" => {
            for i in 0..n {
                let variant = json!({
                    "type": "object", "required": ["kind"],
                    "properties": {"kind": {"type": "string", "enum": [format!("v{i}")]}, "x": {"type": "integer"}},
                });
                schemas.insert(format!("V{i}"), variant);
            }
            let refs: Vec<Value> = (0..n).map(|i| json!({"$ref": format!("#/components/schemas/V{i}")})).collect();
            schemas.insert("U".into(), json!({"oneOf": refs, "discriminator": {"propertyName": "kind"}}));
            return document(one_path(), schemas);
        }
        "all-of-chain" => {
            schemas.insert("A0".into(), json!({"type": "object", "properties": {"p0": {"type": "string"}}}));
            for i in 1..n {
                let link = json!({"allOf": [
                    {"$ref": format!("#/components/schemas/A{}", i - 1)},
                    {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}},
                ]});
                schemas.insert(format!("A{i}"), link);
            }
            return document(one_path(), schemas);
        }
        "alias-chain" => {
            schemas.insert("L0".into(), json!({"type": "string", "maxLength": 5}));
            for i in 1..n {
                schemas.insert(format!("L{i}"), json!({"$ref": format!("#/components/schemas/L{}", i - 1)}));
            }
            return document(one_path(), schemas);
        }
        "parameters" => {
            let parameters: Vec<Value> = (0..n).map(|i| json!({"name": format!("q{i}"), "in": "query", "schema": {"type": "string"}})).collect();
            let mut op = operation("x", "t");
            op.insert("parameters".into(), Value::Array(parameters));
            paths.insert("/x".into(), json!({"get": op}));
        }
        "parameter-refs" => {
            let mut doc = document(Value::Null, schemas);
            let parameters: Map<String, Value> =
                (0..n).map(|i| (format!("P{i}"), json!({"name": format!("p{i}"), "in": "query", "schema": {"type": "string"}}))).collect();
            for i in 0..n / 10 {
                let refs: Vec<Value> = (0..10).map(|j| json!({"$ref": format!("#/components/parameters/P{}", (i * 10 + j) % n)})).collect();
                let mut op = operation(&format!("r{i}"), "t");
                op.insert("parameters".into(), Value::Array(refs));
                paths.insert(format!("/r{i}"), json!({"get": op}));
            }
            doc["paths"] = Value::Object(paths);
            doc["components"]["parameters"] = Value::Object(parameters);
            return doc;
        }
        "responses" => {
            let mut responses = Map::new();
            for i in 0..n {
                let code = 200 + (i / 100) * 100 + i % 100;
                let body = json!({"type": "object", "properties": {format!("f{i}"): {"type": "string"}}});
                responses.insert(code.to_string(), json!({"description": format!("r{i}"), "content": {"application/json": {"schema": body}}}));
            }
            let mut op = operation("x", "t");
            op.insert("responses".into(), Value::Object(responses));
            paths.insert("/x".into(), json!({"get": op}));
        }
        "swagger-definitions" | "swagger-operations" => return swagger(kind, n),
        "oas31-schemas" => {
            for i in 1..n {
                let schema = json!({"type": "object", "properties": {
                    "a": {"type": ["string", "null"]},
                    "b": {"oneOf": [{"$ref": format!("#/components/schemas/S{}", i - 1)}, {"type": "null"}]},
                }});
                schemas.insert(format!("S{i}"), schema);
            }
            let mut doc = document(one_path(), schemas);
            doc["openapi"] = json!("3.1.0");
            return doc;
        }
        _ => {}
    }
    document(Value::Object(paths), schemas)
}

fn swagger(kind: &str, n: usize) -> Value {
    let (paths, definitions): (Map<String, Value>, Map<String, Value>) = if kind == "swagger-definitions" {
        // Each definition but the first holds the one before it.
        let definitions = (0..n)
            .map(|i| {
                let mut properties = json!({"a": {"type": "string"}});
                if i > 0 {
                    properties["b"] = json!({"$ref": format!("#/definitions/D{}", i - 1)});
                }
                (format!("D{i}"), json!({"type": "object", "properties": properties}))
            })
            .collect();
        let op = json!({"operationId": "x", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/D0"}}}});
        ([("/x".to_string(), json!({"get": op}))].into_iter().collect(), definitions)
    } else {
        let paths = (0..n)
            .map(|i| {
                let op = json!({
                    "operationId": format!("o{i}"), "tags": [format!("t{}", i % 5)],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "type": "string"},
                        {"name": "q", "in": "query", "type": "integer", "maximum": 100},
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                });
                (format!("/o{i}/{{id}}"), json!({"get": op}))
            })
            .collect();
        (paths, Map::new())
    };
    json!({"swagger": "2.0", "info": {"title": "Scale", "version": "1"}, "paths": paths, "definitions": definitions})
}

#[cfg(test)]
mod tests {
    use super::{spec, KINDS};

    #[test]
    fn every_kind_grows_with_its_size() {
        for &(kind, n) in KINDS {
            let (small, large) = (spec(kind, n).to_string().len(), spec(kind, 2 * n).to_string().len());
            assert!(large as f64 > small as f64 * 1.7, "{kind}: {small} -> {large} bytes");
        }
    }
}
