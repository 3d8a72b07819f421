//! A folder opened once, so that many files under it are stamped (size,
//! time, identity) by their paths relative to it: the system then walks
//! only the part of each path below the folder, not the folder's own path
//! again for every file. A build with the cache stamps every input and
//! every output file (32,000 at 10,000 pages), and looking up the folders
//! above them was most of that time. Where the folder cannot be opened, or
//! on systems without `statx`, each file is looked up by its whole path.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a file's stamp is made of, as `std::fs::Metadata` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looked {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// Device and inode (0 where the system has none).
    pub id: (u64, u64),
    pub is_file: bool,
    /// How many names the file has (hard links; 1 where the system does
    /// not say).
    pub links: u64,
}

impl Looked {
    fn of_meta(m: &fs::Metadata) -> Looked {
        Looked {
            len: m.len(),
            modified: m.modified().ok(),
            id: id_of(m),
            is_file: m.is_file(),
            links: links_of(m),
        }
    }
}

#[cfg(unix)]
fn id_of(m: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn id_of(_: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(unix)]
fn links_of(m: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.nlink()
}

#[cfg(not(unix))]
fn links_of(_: &fs::Metadata) -> u64 {
    1
}

/// A folder whose files are looked up from it ([`Folder::look`]).
pub struct Folder {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Folder {
    pub fn open(path: &Path) -> Folder {
        Folder {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd: fs::File::open(path).ok().map(std::os::fd::OwnedFd::from),
        }
    }

    /// The file at `rel` (relative, without `..`) under the folder, links
    /// followed or not, as `fs::metadata` or `fs::symlink_metadata` of the
    /// joined path would give it.
    pub fn look(&self, rel: &Path, follow: bool) -> Option<Looked> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            return statx(fd, rel, follow);
        }
        let path = self.path.join(rel);
        let meta = if follow {
            fs::metadata(path)
        } else {
            fs::symlink_metadata(path)
        };
        meta.ok().map(|m| Looked::of_meta(&m))
    }
}

/// One `statx` from the folder, read as the standard library reads its
/// own (`std` takes its metadata from `statx` too, the device made the
/// same way).
#[cfg(target_os = "linux")]
fn statx(fd: &std::os::fd::OwnedFd, rel: &Path, follow: bool) -> Option<Looked> {
    use rustix::fs::{AtFlags, FileType, StatxFlags};
    let flags = if follow {
        AtFlags::empty()
    } else {
        AtFlags::SYMLINK_NOFOLLOW
    };
    let st = rustix::fs::statx(fd, rel, flags, StatxFlags::BASIC_STATS).ok()?;
    let t = st.stx_mtime;
    let nanos = Duration::from_nanos(u64::from(t.tv_nsec));
    let modified = match u64::try_from(t.tv_sec) {
        Ok(secs) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs) + nanos),
        Err(_) => {
            let before = Duration::from_secs(t.tv_sec.unsigned_abs());
            (SystemTime::UNIX_EPOCH.checked_sub(before)).and_then(|t| t.checked_add(nanos))
        }
    };
    let dev = rustix::fs::makedev(st.stx_dev_major, st.stx_dev_minor);
    Some(Looked {
        len: st.stx_size,
        modified,
        id: (dev, st.stx_ino),
        is_file: FileType::from_raw_mode(u32::from(st.stx_mode)) == FileType::RegularFile,
        links: u64::from(st.stx_nlink),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looked up from the folder, a file reads exactly as the standard
    /// library reads it by its whole path: the build cache compares stamps
    /// taken both ways.
    #[test]
    fn a_file_looked_up_from_its_folder_is_as_std_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join("a/b/f.txt"), "twelve bytes").unwrap();
        let folder = Folder::open(root);
        let rel = Path::new("a/b/f.txt");
        for follow in [true, false] {
            let looked = folder.look(rel, follow).unwrap();
            assert_eq!(
                looked,
                Looked::of_meta(&fs::symlink_metadata(root.join(rel)).unwrap())
            );
            assert!(looked.is_file && looked.len == 12);
        }
        assert!(!folder.look(Path::new("a/b"), false).unwrap().is_file);
        assert_eq!(folder.look(Path::new("a/none"), false), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("b/f.txt", root.join("a/link")).unwrap();
            let link = Path::new("a/link");
            let followed = folder.look(link, true).unwrap();
            assert_eq!(followed, folder.look(rel, false).unwrap());
            let own = folder.look(link, false).unwrap();
            assert!(!own.is_file);
            assert_eq!(
                own,
                Looked::of_meta(&fs::symlink_metadata(root.join(link)).unwrap())
            );
        }
        // A folder that cannot be opened: each file by its whole path.
        let missing = Folder::open(&root.join("gone"));
        assert_eq!(missing.look(rel, false), None);
    }
}
