//! Writing generated files: only changed bytes, never on failure, and the `--check` diff.

use similar::TextDiff;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The marker every generated file carries in its first line.
pub const MARKER: &str = "@generated";

/// A file that differs from what generation produces (`expected` borrows the generated text
/// where it needs no normalizing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift<'a> {
    /// The file is missing.
    Missing { path: PathBuf, expected: Cow<'a, str> },
    /// The file exists with other bytes.
    Stale { path: PathBuf, actual: String, expected: Cow<'a, str> },
    /// A generated file (it has the marker) that generation no longer produces.
    Stray { path: PathBuf, actual: String },
}

impl Drift<'_> {
    /// The path concerned.
    pub fn path(&self) -> &Path {
        match self {
            Drift::Missing { path, .. } | Drift::Stale { path, .. } | Drift::Stray { path, .. } => path,
        }
    }

    /// A unified diff from what is on disk to what should be.
    pub fn diff(&self, root: &Path) -> String {
        let shown = self.path().strip_prefix(root).unwrap_or(self.path()).display().to_string();
        let (old, new) = match self {
            Drift::Missing { expected, .. } => ("", expected.as_ref()),
            Drift::Stale { actual, expected, .. } => (actual.as_str(), expected.as_ref()),
            Drift::Stray { actual, .. } => (actual.as_str(), ""),
        };
        TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{shown}"), &format!("b/{shown}"))
            .to_string()
    }
}

/// Normalizes line endings and ends the text with exactly one newline; generated text already
/// is, and is then borrowed, not copied (a large spec's crates are tens of megabytes).
pub fn normalize(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') && text.ends_with('\n') && !text.ends_with("\n\n") {
        return Cow::Borrowed(text);
    }
    let unix = if text.contains('\r') { Cow::Owned(text.replace("\r\n", "\n")) } else { Cow::Borrowed(text) };
    let body = unix.trim_end_matches('\n');
    let mut out = String::with_capacity(body.len() + 1);
    out.push_str(body);
    out.push('\n');
    Cow::Owned(out)
}

/// Compares generated files (paths relative to `out_dir`) with the disk. `crate_dirs` are the
/// directories (relative to `out_dir`) in which stray generated files are looked for.
pub fn compare<'a>(out_dir: &Path, files: &'a BTreeMap<String, String>, crate_dirs: &[String]) -> Vec<Drift<'a>> {
    let mut drifts = Vec::new();
    for (relative, text) in files {
        let path = out_dir.join(relative);
        let expected = normalize(text);
        match fs::read_to_string(&path) {
            Ok(actual) if actual == *expected => {}
            Ok(actual) => drifts.push(Drift::Stale { path, actual, expected }),
            Err(_) => drifts.push(Drift::Missing { path, expected }),
        }
    }
    for dir in crate_dirs {
        let mut found = Vec::new();
        walk(&out_dir.join(dir), &mut found);
        for path in found {
            let relative = path.strip_prefix(out_dir).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            if files.contains_key(&relative) {
                continue;
            }
            if let Ok(actual) = fs::read_to_string(&path) {
                if actual.lines().next().is_some_and(|line| line.contains(MARKER)) {
                    drifts.push(Drift::Stray { path, actual });
                }
            }
        }
    }
    drifts
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Writes the files on up to four threads: creating a file costs the filesystem far more than
/// writing its bytes (ext4 on this project's VMs: about 0.2 ms each, and a standalone crate set
/// is some 50 files), and creations in several directories go on at once. A batch whose thread
/// does not start (resource limits) is written on this one. The first error in the files' order
/// is returned.
fn write_all(writes: &[(&Path, &str)]) -> std::io::Result<()> {
    let write = |batch: &[(&Path, &str)]| batch.iter().try_for_each(|(path, text)| fs::write(path, text));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4).min(writes.len().div_ceil(8));
    if threads <= 1 {
        return write(writes);
    }
    let chunk = writes.len().div_ceil(threads);
    let results: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
        let started: Vec<_> = writes
            .chunks(chunk)
            .map(|batch| (batch, std::thread::Builder::new().spawn_scoped(scope, move || write(batch)).ok()))
            .collect();
        started
            .into_iter()
            .map(|(batch, thread)| match thread.map(|thread| thread.join()) {
                Some(Ok(written)) => written,
                Some(Err(_)) => Err(std::io::Error::other("a writing thread panicked")),
                None => write(batch),
            })
            .collect()
    });
    results.into_iter().collect()
}

/// Applies drifts: writes missing and stale files, removes stray ones. Returns the paths touched.
pub fn apply(drifts: &[Drift<'_>]) -> std::io::Result<Vec<PathBuf>> {
    let writes: Vec<(&Path, &str)> = drifts
        .iter()
        .filter_map(|drift| match drift {
            Drift::Missing { path, expected } | Drift::Stale { path, expected, .. } => Some((path.as_path(), expected.as_ref())),
            Drift::Stray { .. } => None,
        })
        .collect();
    // Each directory once, then the files.
    let mut dirs: Vec<&Path> = writes.iter().filter_map(|(path, _)| path.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        fs::create_dir_all(dir)?;
    }
    write_all(&writes)?;
    for drift in drifts {
        if let Drift::Stray { path, .. } = drift {
            fs::remove_file(path)?;
            // Remove directories the removal left empty (a crate that is no longer generated).
            let mut parent = path.parent();
            while let Some(dir) = parent {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
                parent = dir.parent();
            }
        }
    }
    Ok(drifts.iter().map(|drift| drift.path().to_path_buf()).collect())
}
