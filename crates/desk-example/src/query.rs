//! Filtering, sorting, paging and sparse fieldsets over JSON records, as the desk API describes
//! them: `filter` is Mongo-like JSON (`$eq $ne $lt $lte $gt $gte $in $nin $and $or $contains`),
//! already checked against its schema by the generated server.

use serde_json::{Map, Value};
use std::cmp::Ordering;

/// Orders two JSON values: numbers numerically, RFC 3339 date-times by instant, strings by text;
/// a missing value sorts first.
pub fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => compare_numbers(x, y),
        (Some(Value::String(x)), Some(Value::String(y))) => {
            match (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => x.cmp(y),
            }
        }
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// Numbers exactly where both are integers (int64 ids past 2^53 stay distinct), as `f64`
/// otherwise.
fn compare_numbers(x: &serde_json::Number, y: &serde_json::Number) -> Ordering {
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(x), Some(y), _, _) => x.cmp(&y),
        (_, _, Some(x), Some(y)) => x.cmp(&y),
        // One fits only u64 (above i64::MAX), the other only i64 (negative).
        (Some(_), None, None, Some(_)) => Ordering::Less,
        (None, Some(_), Some(_), None) => Ordering::Greater,
        _ => x.as_f64().unwrap_or_default().partial_cmp(&y.as_f64().unwrap_or_default()).unwrap_or(Ordering::Equal),
    }
}

/// Whether a record's value and a filter's operand can be compared: the same JSON type. A
/// number is never equal to, less or greater than a string.
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn equal(a: Option<&Value>, b: &Value) -> bool {
    match a {
        None | Some(Value::Null) => b.is_null(),
        Some(a) => same_type(a, b) && compare(Some(a), Some(b)) == Ordering::Equal,
    }
}

/// Whether a record matches a (checked) filter.
pub fn matches(record: &Value, filter: &Value) -> bool {
    let Some(object) = filter.as_object() else { return true };
    object.iter().all(|(key, condition)| match key.as_str() {
        "$and" => condition.as_array().is_some_and(|list| list.iter().all(|f| matches(record, f))),
        "$or" => condition.as_array().is_some_and(|list| list.iter().any(|f| matches(record, f))),
        field => {
            let value = record.get(field);
            match condition.as_object() {
                Some(operators) if operators.keys().all(|k| k.starts_with('$')) => {
                    operators.iter().all(|(operator, operand)| apply(value, operator, operand))
                }
                _ => equal(value, condition),
            }
        }
    })
}

fn apply(value: Option<&Value>, operator: &str, operand: &Value) -> bool {
    // Ordered comparisons need a value of the operand's type.
    let present = value.is_some_and(|v| !v.is_null() && same_type(v, operand));
    match operator {
        "$eq" => equal(value, operand),
        "$ne" => !equal(value, operand),
        "$lt" => present && compare(value, Some(operand)) == Ordering::Less,
        "$lte" => present && compare(value, Some(operand)) != Ordering::Greater,
        "$gt" => present && compare(value, Some(operand)) == Ordering::Greater,
        "$gte" => present && compare(value, Some(operand)) != Ordering::Less,
        "$in" => operand.as_array().is_some_and(|list| list.iter().any(|item| equal(value, item))),
        "$nin" => operand.as_array().is_some_and(|list| !list.iter().any(|item| equal(value, item))),
        "$contains" => match (value, operand) {
            (Some(Value::String(text)), Value::String(part)) => text.contains(part.as_str()),
            (Some(Value::Array(items)), item) => items.iter().any(|i| equal(Some(i), item)),
            _ => false,
        },
        _ => false,
    }
}

/// Paging figures for a list of `count` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Total matching records.
    pub count: usize,
    /// Records per page.
    pub page_size: usize,
    /// Index of the first record of this page.
    pub offset: usize,
    /// Number of pages.
    pub pages: usize,
    /// Whether pages follow this one.
    pub has_more: bool,
}

/// Filters, sorts and pages records; returns the page's records and the figures.
pub fn select(
    mut records: Vec<Value>,
    filter: Option<&Value>,
    order_by: &str,
    descending: bool,
    page: usize,
    page_size: usize,
) -> (Vec<Value>, Page) {
    if let Some(filter) = filter {
        records.retain(|record| matches(record, filter));
    }
    records.sort_by(|a, b| {
        let order = compare(a.get(order_by), b.get(order_by)).then_with(|| compare(a.get("id"), b.get("id")));
        if descending { order.reverse() } else { order }
    });
    let count = records.len();
    let page_size = page_size.max(1);
    let pages = count.div_ceil(page_size);
    let offset = (page.max(1) - 1).saturating_mul(page_size);
    let items: Vec<Value> = records.into_iter().skip(offset).take(page_size).collect();
    let has_more = offset.saturating_add(items.len()) < count;
    (items, Page { count, page_size, offset, pages, has_more })
}

/// Keeps only the named fields of a record.
pub fn sparse(record: Value, fields: Option<&[String]>) -> Value {
    match (record, fields) {
        (Value::Object(object), Some(fields)) => {
            let kept: Map<String, Value> = object.into_iter().filter(|(key, _)| fields.iter().any(|f| f == key)).collect();
            Value::Object(kept)
        }
        (record, _) => record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn large_integers_compare_exactly() {
        let record = json!({"contactId": 9007199254740993_i64});
        assert!(!matches(&record, &json!({"contactId": 9007199254740992_i64})));
        assert!(matches(&record, &json!({"contactId": 9007199254740993_i64})));
        assert!(matches(&record, &json!({"contactId": {"$gt": 9007199254740992_i64}})));
        assert!(matches(&record, &json!({"contactId": {"$ne": 9007199254740992_i64}})));
        assert!(matches(&json!({"n": u64::MAX}), &json!({"n": {"$gt": -1}})));
        assert!(matches(&json!({"n": 1.5}), &json!({"n": {"$lt": 2}})));
    }

    #[test]
    fn values_of_another_type_never_match_a_comparison() {
        let record = json!({"id": 18, "name": "abc"});
        for operator in ["$gt", "$gte", "$lt", "$lte", "$eq"] {
            assert!(!matches(&record, &json!({"id": {operator: "abc"}})), "{operator}");
            assert!(!matches(&record, &json!({"name": {operator: 18}})), "{operator}");
        }
        assert!(matches(&record, &json!({"id": {"$ne": "18"}})));
        assert!(!matches(&record, &json!({"id": "18"})));
    }
}
