//! Fingerprints of what a template is given, so the watcher renders again
//! only the files whose inputs changed. Tera values have no `Hash`; this walk
//! hashes them, order-independently for maps, and takes the hash of a value
//! it has seen before (each page summary, shared by many lists) from `known`,
//! which may also make that hash only when a fingerprint first needs it
//! ([`Known::insert_lazy`]: a build that fingerprints a few files hashes
//! only the summaries they show).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock, RwLock};

use tera::Value;
use tera::value::ValueKind;
use xxhash_rust::xxh3::{Xxh3Default as Xxh3, xxh3_64};

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
    let mut h = Xxh3::new();
    write_value(v, known, &mut h);
    h.finish()
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
    let mut h = Xxh3::new();
    template.hash(&mut h);
    uses.hash(&mut h);
    globals.hash(&mut h);
    for (k, v) in values {
        k.hash(&mut h);
        write_value(v, known, &mut h);
    }
    h.finish()
}

/// Generic over the hasher only so that a test can walk with the seeded
/// hasher the cache's fingerprints were first made with.
fn write_value<H: Hasher + Default>(v: &Value, known: &Known, h: &mut H) {
    if let Some(hash) = known.get(v) {
        h.write_u64(hash);
        return;
    }
    let kind = v.kind();
    std::mem::discriminant(&kind).hash(h);
    match kind {
        ValueKind::String => {
            v.is_safe().hash(h);
            v.as_str().unwrap_or("").hash(h);
        }
        ValueKind::Bool => v.as_bool().hash(h),
        ValueKind::F64 => v.as_f64().map(f64::to_bits).hash(h),
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            (v.as_i128(), v.as_u128()).hash(h)
        }
        ValueKind::Array => {
            let items = v.as_array().unwrap_or(&[]);
            items.len().hash(h);
            for item in items {
                write_value(item, known, h);
            }
        }
        ValueKind::Map => {
            // HashMap order varies; a sum of entry hashes does not.
            let mut sum: u64 = 0;
            if let Some(map) = v.as_map() {
                map.len().hash(h);
                for (k, val) in map {
                    let mut e = H::default();
                    k.hash(&mut e);
                    write_value(val, known, &mut e);
                    sum = sum.wrapping_add(e.finish());
                }
            }
            h.write_u64(sum);
        }
        ValueKind::Bytes => v.as_bytes().hash(h),
        _ => {}
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

    /// A value known lazily fingerprints exactly as one known by its hash,
    /// inside lists as on its own, and differs from walking it.
    #[test]
    fn a_lazily_known_value_fingerprints_as_an_eagerly_known_one() {
        let summary = Obj::new().set("title", "通知").set("n", 3).build();
        let list = Value::from(vec![summary.clone(), summary.clone()]);
        let values = [("pages", list), ("page", summary.clone())];
        let mut eager = Known::default();
        eager.insert(&summary, of_value(&summary, &Known::default()));
        let mut lazy = Known::default();
        lazy.insert_lazy(&summary);
        let fp = |k: &Known| of_job("list.html", 1, &values, 2, k);
        assert_eq!(fp(&lazy), fp(&eager));
        assert_ne!(fp(&lazy), fp(&Known::default()));
    }

    /// The hasher without a secret of its own hashes as the one with the
    /// default secret did: fingerprints a build cache saved stay valid.
    #[test]
    fn fingerprints_are_those_of_xxh3_with_its_default_secret() {
        let v = Obj::new()
            .set("title", "通知")
            .set("n", 3)
            .set("tags", vec![Value::from("a"), Value::from("b")])
            .set("date", Obj::new().set("year", 2026).build())
            .build();
        let mut old = xxhash_rust::xxh3::Xxh3::new();
        write_value(&v, &Known::default(), &mut old);
        assert_eq!(of_value(&v, &Known::default()), old.finish());
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
