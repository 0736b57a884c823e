//! JSON values decoded from requests: how deep they nest, and their conversion to Rust types
//! whatever their depth.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The deepest nesting of arrays and objects a request value may have (`{"a": [1]}` nests 2
/// deep); a deeper one is refused with a 400 naming it. serde_json refuses JSON text nested
/// deeper than 128; this lower bound keeps what a server stores and sends back (inside a
/// response's own objects) within what its clients and its response checks can read.
pub const MAX_DEPTH: usize = 64;

/// Values nested deeper than this are converted on a thread of their own (see [`from_value`]).
const INLINE_DEPTH: usize = 16;

/// The stack of that thread: enough for the 128 levels serde_json allows of any generated type
/// in a debug build (tens of KB a level), several times over. It is address space reserved
/// while the conversion runs; only the pages used are touched.
const DEEP_STACK: usize = 32 << 20;

/// How deep arrays and objects nest in a value: 0 for a scalar, 1 for `[]` or `{"a": 1}`.
/// Counted without recursion.
pub fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((value, above)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(members) => Box::new(members.values()),
            _ => continue,
        };
        deepest = deepest.max(above + 1);
        pending.extend(children.filter(|child| child.is_array() || child.is_object()).map(|child| (child, above + 1)));
    }
    deepest
}

/// `serde_json::from_value`, for a value nested `depth` deep. serde's derived code recurses
/// once per level, and in a debug build its frames are large: a hundred levels overflowed a
/// tokio worker's 2 MiB stack and aborted the whole server. Deep values are therefore converted
/// on a scoped thread with a large stack, and shallow ones (nearly all) where they are.
pub fn from_value<T: DeserializeOwned + Send>(value: Value, depth: usize) -> Result<T, serde_json::Error> {
    if depth <= INLINE_DEPTH {
        return serde_json::from_value(value);
    }
    std::thread::scope(|scope| {
        let spawned =
            std::thread::Builder::new().stack_size(DEEP_STACK).spawn_scoped(scope, || serde_json::from_value(value));
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread could be started (resource limits): refused rather than converted on a
            // stack it may overflow, which would abort the process.
            Err(_) => Err(<serde_json::Error as serde::de::Error>::custom(format!(
                "is nested {depth} levels deep, and no thread could be started to read it"
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn depths() {
        assert_eq!(depth(&json!(1)), 0);
        assert_eq!(depth(&json!([])), 1);
        assert_eq!(depth(&json!({"a": 1, "b": [2, {"c": []}]})), 4);
        let mut deep = json!(null);
        for _ in 0..1000 {
            deep = json!([deep]);
        }
        assert_eq!(depth(&deep), 1000);
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Nested {
        next: Option<Box<Nested>>,
    }

    #[test]
    fn deep_values_convert_on_a_small_stack() {
        let mut value = json!({"next": null});
        for _ in 0..120 {
            value = json!({"next": value});
        }
        let depth = depth(&value);
        assert_eq!(depth, 121);
        // A 128 KiB stack: far too small for 121 levels of derived code, enough for the call.
        let converted = std::thread::Builder::new()
            .stack_size(128 << 10)
            .spawn(move || {
                from_value::<Nested>(value, depth).map(|mut nested| {
                    let mut levels = 1;
                    while let Some(next) = nested.next {
                        nested = *next;
                        levels += 1;
                    }
                    levels
                })
            })
            .expect("thread")
            .join()
            .expect("no overflow");
        assert_eq!(converted.expect("converted"), 121);
    }
}
