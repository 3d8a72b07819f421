//! Fingerprints of what a template is given, so the watcher renders again
//! only the files whose inputs changed. Tera values have no `Hash`; this walk
//! hashes them, order-independently for maps, and takes the hash of a value
//! it has seen before (each page summary, shared by many lists) from `known`,
//! which may also make that hash only when a fingerprint first needs it
//! ([`Known::insert_lazy`]: a build that fingerprints a few files hashes
//! only the summaries they show).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, OnceLock, RwLock};

use tera::Value;
use tera::value::ValueKind;
use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_64_with_seed};

/// Hashes of shared map values by address. Valid only while the values it
/// was built from are alive and unchanged (one rebuild).
#[derive(Default)]
pub struct Known {
    hashes: HashMap<usize, u64>,
    /// Values whose hash is made when first needed ([`Known::insert_lazy`]),
    /// each held (a shared map: the same address) beside it.
    lazy: HashMap<usize, (Value, OnceLock<u64>)>,
    /// Values made while fingerprints are taken, known as the lazy ones.
    later: Option<Arc<Later>>,
}

/// Values made while the files are prepared (page summaries made when
/// first needed, [`super::later`]), known by their hash as those of
/// [`Known::insert_lazy`] are.
#[derive(Default)]
pub struct Later {
    values: RwLock<HashMap<usize, (Value, OnceLock<u64>)>>,
}

impl Later {
    /// Knows `v` from now on, by the hash made when first needed.
    pub fn insert(&self, v: &Value) {
        if let (Some(a), Ok(mut values)) = (address(v), self.values.write()) {
            values.insert(a, (v.clone(), OnceLock::new()));
        }
    }

    fn get(&self, a: usize) -> Option<u64> {
        let values = self.values.read().ok()?;
        let (value, hash) = values.get(&a)?;
        Some(*hash.get_or_init(|| of_value(value, &Known::default())))
    }
}

fn address(v: &Value) -> Option<usize> {
    v.as_map().map(|m| m as *const _ as usize)
}

impl Known {
    pub fn insert(&mut self, v: &Value, hash: u64) {
        if let Some(a) = address(v) {
            self.hashes.insert(a, hash);
        }
    }

    /// Knows `v` by its hash, `of_value(v, &Known::default())`, made the
    /// first time a fingerprint meets `v`: the same fingerprints as
    /// [`Known::insert`] with that hash, without hashing values no
    /// fingerprint shows.
    pub fn insert_lazy(&mut self, v: &Value) {
        if let Some(a) = address(v) {
            self.lazy.insert(a, (v.clone(), OnceLock::new()));
        }
    }

    /// Knows every value `later` is told of, as [`Known::insert_lazy`].
    pub fn with_later(later: Arc<Later>) -> Known {
        Known {
            later: Some(later),
            ..Known::default()
        }
    }

    fn get(&self, v: &Value) -> Option<u64> {
        let a = address(v)?;
        if let Some(&hash) = self.hashes.get(&a) {
            return Some(hash);
        }
        if let Some((value, hash)) = self.lazy.get(&a) {
            return Some(*hash.get_or_init(|| of_value(value, &Known::default())));
        }
        self.later.as_ref()?.get(a)
    }
}

pub fn of_bytes(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

pub fn of_value(v: &Value, known: &Known) -> u64 {
    known.get(v).unwrap_or_else(|| walk(v, known))
}

/// The fingerprint of one render: its template and the hash of the
/// templates that one can use (`uses`: no other template's edit changes
/// it), its values, and the hash of the values every template sees.
pub fn of_job(
    template: &str,
    uses: u64,
    values: &[(&'static str, Value)],
    globals: u64,
    known: &Known,
) -> u64 {
    let mut h = mix(mix(xxh3_64(template.as_bytes()), uses), globals);
    for (k, v) in values {
        h = mix(mix(h, xxh3_64(k.as_bytes())), of_value(v, known));
    }
    h
}

/// One more word into a running hash: XXH3 of its eight bytes, seeded with
/// the hash so far. A composed hash, not one stream: a string is hashed
/// in one call, and nothing is copied into a hasher's buffer (a streaming
/// hasher per map entry was most of a cold build's fingerprint time).
fn mix(h: u64, word: u64) -> u64 {
    xxh3_64_with_seed(&word.to_le_bytes(), h)
}

/// What kind of value a hash is of, so that `"1"`, `1` and `[1]` differ.
fn kind_tag(kind: &ValueKind) -> u64 {
    match kind {
        ValueKind::String => 1,
        ValueKind::Bool => 2,
        ValueKind::F64 => 3,
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => 4,
        ValueKind::Array => 5,
        ValueKind::Map => 6,
        ValueKind::Bytes => 7,
        _ => 8,
    }
}

/// The hash of `v` made from its parts; a part `known` knows is taken
/// from there ([`of_value`]).
fn walk(v: &Value, known: &Known) -> u64 {
    let kind = v.kind();
    let tag = kind_tag(&kind);
    match kind {
        // Safe (already escaped) and plain strings of the same text differ.
        ValueKind::String => xxh3_64_with_seed(
            v.as_str().unwrap_or("").as_bytes(),
            tag + 16 * u64::from(v.is_safe()),
        ),
        ValueKind::Bool => mix(tag, u64::from(v.as_bool().unwrap_or(false))),
        ValueKind::F64 => mix(tag, v.as_f64().map_or(u64::MAX, f64::to_bits)),
        // Every integer kind by its value, whichever kind holds it.
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            let n = v
                .as_i128()
                .map(|n| n as u128)
                .or_else(|| v.as_u128().map(|n| n ^ (1 << 127)))
                .unwrap_or(0);
            mix(mix(tag, n as u64), (n >> 64) as u64)
        }
        ValueKind::Array => {
            let items = v.as_array().unwrap_or(&[]);
            items.iter().fold(mix(tag, items.len() as u64), |h, item| {
                mix(h, of_value(item, known))
            })
        }
        // Map order varies; a sum of entry hashes does not.
        ValueKind::Map => {
            let Some(map) = v.as_map() else {
                return tag;
            };
            let sum = map.iter().fold(0u64, |sum, (k, val)| {
                let key = match k.as_str() {
                    Some(s) => xxh3_64(s.as_bytes()),
                    None => {
                        let mut h = Xxh3::new();
                        k.hash(&mut h);
                        h.digest() ^ 1
                    }
                };
                sum.wrapping_add(mix(key, of_value(val, known)))
            });
            mix(mix(tag, map.len() as u64), sum)
        }
        ValueKind::Bytes => xxh3_64_with_seed(v.as_bytes().unwrap_or(&[]), tag),
        _ => tag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::context::Obj;

    #[test]
    fn equal_values_hash_equal_and_changes_show() {
        let known = Known::default();
        let a = Obj::new().set("title", "通知").set("n", 3).build();
        let b = Obj::new().set("n", 3).set("title", "通知").build();
        let c = Obj::new().set("title", "通知。").set("n", 3).build();
        assert_eq!(of_value(&a, &known), of_value(&b, &known));
        assert_ne!(of_value(&a, &known), of_value(&c, &known));
    }

    /// A value known lazily or eagerly fingerprints exactly as walking it
    /// does, inside lists as on its own; and a known hash is taken as it
    /// is, not made again.
    #[test]
    fn a_known_value_fingerprints_as_walking_it() {
        let summary = Obj::new().set("title", "通知").set("n", 3).build();
        let list = Value::from(vec![summary.clone(), summary.clone()]);
        let values = [("pages", list), ("page", summary.clone())];
        let mut eager = Known::default();
        eager.insert(&summary, of_value(&summary, &Known::default()));
        let mut lazy = Known::default();
        lazy.insert_lazy(&summary);
        let fp = |k: &Known| of_job("list.html", 1, &values, 2, k);
        assert_eq!(fp(&lazy), fp(&eager));
        assert_eq!(fp(&lazy), fp(&Known::default()));
        let mut wrong = Known::default();
        wrong.insert(&summary, 42);
        assert_ne!(fp(&wrong), fp(&eager));
    }

    /// Order counts in lists, not in maps; a change deep inside shows; a
    /// string, a number and a list of them differ.
    #[test]
    fn structure_and_kinds_count() {
        let known = Known::default();
        let ab = Value::from(vec![Value::from("a"), Value::from("b")]);
        let ba = Value::from(vec![Value::from("b"), Value::from("a")]);
        assert_ne!(of_value(&ab, &known), of_value(&ba, &known));
        let deep = |t: &str| {
            Obj::new()
                .set("page", Obj::new().set("tags", vec![Value::from(t)]).build())
                .build()
        };
        assert_eq!(
            of_value(&deep("慰问"), &known),
            of_value(&deep("慰问"), &known)
        );
        assert_ne!(
            of_value(&deep("慰问"), &known),
            of_value(&deep("春节"), &known)
        );
        let one = [
            Value::from("1"),
            Value::from(1),
            Value::from(vec![Value::from(1)]),
            Value::from(true),
        ];
        for (i, a) in one.iter().enumerate() {
            for b in &one[i + 1..] {
                assert_ne!(of_value(a, &known), of_value(b, &known));
            }
        }
        assert_eq!(
            of_value(&Value::from(1u64), &known),
            of_value(&Value::from(1i64), &known)
        );
    }

    #[test]
    fn safe_and_escaped_strings_differ() {
        let known = Known::default();
        assert_ne!(
            of_value(&Value::safe_string("<b>"), &known),
            of_value(&Value::from("<b>"), &known)
        );
    }
}
