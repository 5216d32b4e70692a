//! Memory-mapped files that survive being shrunk under the mapping.
//!
//! A dump of several gigabytes mapped rather than read costs page cache, which the kernel can
//! drop and read again, instead of private memory. The trap is the file getting shorter while
//! it is mapped (truncated, or rewritten shorter): touching a page that lies wholly past the
//! new end raises SIGBUS, whose default action ends the process.
//!
//! So every live [`Mapped`] is entered in a fixed, lock-free registry, and a SIGBUS handler,
//! installed once per process by the first mapping, repairs a fault inside a registered
//! mapping: it maps anonymous zero pages over the faulting page and the rest of that mapping,
//! marks the mapping as shrunk, and returns, so the interrupted load runs again and reads zeros.
//! A SIGBUS anywhere else is not ours: a fault gets back the handler that was there before
//! (std's stack-overflow report, whose own fallback is the default action) and happens again
//! as it would have without byline; a SIGBUS sent by `kill` or `raise` gets the default action,
//! which ends the process. Nothing else in byline handles SIGBUS (the terminal's signals are
//! SIGABRT, SIGTSTP, SIGCONT, SIGHUP, SIGWINCH and the like).
//!
//! No `madvise`: MADV_SEQUENTIAL would read ahead harder, but it also lets the kernel drop
//! pages soon after they are read, and byline comes back to an article's bytes when it is
//! opened; the kernel's own readahead already grows for a scan that runs straight through.

use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Deref;
use std::os::fd::AsRawFd;
use std::ptr::{self, NonNull};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

use libc::{c_int, c_void};
use nix::errno::Errno;

/// How many non-empty mappings can be live at once; [`Mapped::open`] fails past that.
pub const SLOTS: usize = 64;

/// A read-only mapping of a whole file that survives the file shrinking under it: a page that is
/// no longer backed by the file reads as zeros instead of raising SIGBUS.
///
/// - The mapping keeps the length the file had when it was opened. Bytes appended later are not
///   in it; open the file again to see them.
/// - The bytes are the file's own pages, so a write to the file shows through, and a shrink
///   turns pages to zeros, while a `&[u8]` from this mapping is alive. Treat them as input that
///   may change between two reads: parse defensively, and copy what must stay consistent.
/// - [`Mapped::shrank`] reports a shrink that a read ran into. A shrink that no read has run
///   into yet, or one within the last page (whose tail the kernel zeroes without a fault), is
///   not reported; compare the file's length for that.
/// - A page the kernel cannot read (an I/O error, a network file gone) raises SIGBUS too, and is
///   mended the same way: zeros, and [`Mapped::shrank`] set.
pub struct Mapped {
    /// The first byte; dangling for an empty mapping.
    ptr: NonNull<u8>,
    len: usize,
    /// The registry entry; none for an empty mapping, where nothing is mapped and nothing faults.
    slot: Option<usize>,
}

// SAFETY: the mapping is read-only and owned by this value until it is dropped; its registry
// entry is only changed through atomics.
unsafe impl Send for Mapped {}
// SAFETY: as above; `&Mapped` only reads.
unsafe impl Sync for Mapped {}

impl Mapped {
    /// Maps the whole of `file`, as long as its metadata says it is; an empty file gives an empty
    /// mapping. Fails if the file cannot be mapped (it is not a regular file, say, or not open
    /// for reading), if it does not fit the address space, or if [`SLOTS`] mappings are live.
    pub fn open(file: &File) -> io::Result<Mapped> {
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::new(io::ErrorKind::FileTooLarge, "file too large to map"))?;
        if len == 0 {
            return Ok(Mapped {
                ptr: NonNull::dangling(),
                len: 0,
                slot: None,
            });
        }
        install()?;
        let pages = len
            .checked_next_multiple_of(page_size())
            .ok_or_else(|| io::Error::new(io::ErrorKind::FileTooLarge, "file too large to map"))?;
        let slot = claim().ok_or_else(|| {
            io::Error::other(format!("more than {SLOTS} files are mapped at once"))
        })?;
        // SAFETY: a fresh read-only shared mapping chosen by the kernel; it overlaps nothing.
        let start = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        let Some(ptr) = NonNull::new(start.cast::<u8>()).filter(|_| start != libc::MAP_FAILED)
        else {
            let error = io::Error::last_os_error();
            REGISTRY[slot].release();
            return Err(error);
        };
        // Entered before anything can read it, so before anything can fault in it.
        REGISTRY[slot].write(ptr.as_ptr() as usize, pages);
        Ok(Mapped {
            ptr,
            len,
            slot: Some(slot),
        })
    }

    /// Gives back the memory of the whole pages within `range` that were read: they stay
    /// mapped, and a later read takes them from the page cache again. A pass over the whole
    /// file (a scan, a search) then costs a few pages of memory at a time, not the file.
    pub fn release(&self, range: std::ops::Range<usize>) {
        let page = page_size();
        if page == 0 {
            return;
        }
        let start = range.start.div_ceil(page) * page;
        let end = range.end.min(self.len) / page * page;
        if start >= end {
            return;
        }
        // SAFETY: [start, end) lies within this live mapping, which is read-only and shared:
        // MADV_DONTNEED only drops our page table entries (the contents are the file's, or
        // zero pages after a repair), so every byte reads the same afterwards.
        unsafe {
            libc::madvise(
                self.ptr.as_ptr().add(start).cast(),
                end - start,
                libc::MADV_DONTNEED,
            );
        }
    }

    /// True once a fault in this mapping has been repaired, i.e. the file shrank while mapped:
    /// the caller should load the file again.
    pub fn shrank(&self) -> bool {
        self.slot
            .is_some_and(|slot| REGISTRY[slot].shrank.load(SeqCst))
    }
}

impl Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `len` bytes from `ptr` stay mapped readable until drop, by the file or, once
        // repaired, by zero pages; an empty mapping is a dangling pointer with length 0.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            // Out of the registry first: once unmapped, the addresses may be mapped again by
            // someone else, and a fault there must not be taken for this mapping's.
            REGISTRY[slot].write(0, 0);
            REGISTRY[slot].release();
            // SAFETY: the mapping made by `open`, not borrowed any more (this is drop).
            unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
        }
    }
}

impl fmt::Debug for Mapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapped")
            .field("len", &self.len)
            .field("shrank", &self.shrank())
            .finish()
    }
}

/// One live mapping, as the SIGBUS handler sees it.
struct Slot {
    /// Held by a mapping from `open` until drop.
    taken: AtomicBool,
    /// Even while `start` and `len` are settled, odd while they are being written. The handler
    /// reads them between two equal even versions, so it never pairs one mapping's start with
    /// another's length.
    version: AtomicUsize,
    start: AtomicUsize,
    /// Rounded up to whole pages, as mapped; 0 when free.
    len: AtomicUsize,
    /// Set by the handler when it repairs a fault here.
    shrank: AtomicBool,
}

static REGISTRY: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];

impl Slot {
    const fn new() -> Slot {
        Slot {
            taken: AtomicBool::new(false),
            version: AtomicUsize::new(0),
            start: AtomicUsize::new(0),
            len: AtomicUsize::new(0),
            shrank: AtomicBool::new(false),
        }
    }

    /// Sets the range; only by the holder of the slot.
    fn write(&self, start: usize, len: usize) {
        self.version.fetch_add(1, SeqCst);
        self.start.store(start, SeqCst);
        self.len.store(len, SeqCst);
        self.version.fetch_add(1, SeqCst);
    }

    /// The range, unless it is changing: a slot that is changing belongs to a mapping being
    /// opened or dropped, which nothing is reading.
    fn read(&self) -> Option<(usize, usize)> {
        let before = self.version.load(SeqCst);
        let start = self.start.load(SeqCst);
        let len = self.len.load(SeqCst);
        (before.is_multiple_of(2) && self.version.load(SeqCst) == before).then_some((start, len))
    }

    fn release(&self) {
        self.taken.store(false, SeqCst);
    }
}

/// A free slot, taken, with its flag cleared.
fn claim() -> Option<usize> {
    let slot = REGISTRY.iter().position(|slot| {
        slot.taken
            .compare_exchange(false, true, SeqCst, SeqCst)
            .is_ok()
    })?;
    REGISTRY[slot].shrank.store(false, SeqCst);
    Some(slot)
}

/// Set once, before the handler is installed.
static PAGE: AtomicUsize = AtomicUsize::new(0);
/// The SIGBUS disposition before ours, set before ours is installed.
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();
/// Whether the handler went in, or the errno of why not.
static INSTALLED: OnceLock<Result<(), i32>> = OnceLock::new();

fn page_size() -> usize {
    PAGE.load(SeqCst)
}

/// Installs the SIGBUS handler, once per process.
fn install() -> io::Result<()> {
    let installed = INSTALLED.get_or_init(|| {
        // SAFETY: sysconf only reads a configuration value.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let page = usize::try_from(page)
            .ok()
            .filter(|page| page.is_power_of_two())
            .ok_or(libc::EINVAL)?;
        PAGE.store(page, SeqCst);
        // SAFETY: sigaction only reads the action given and writes the one returned, both
        // zeroed C structs (all zeros is a valid sigaction).
        unsafe {
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, ptr::null(), &mut previous) != 0 {
                return Err(Errno::last_raw());
            }
            let _ = PREVIOUS.set(previous);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(libc::SIGBUS, &action, ptr::null_mut()) != 0 {
                return Err(Errno::last_raw());
            }
        }
        Ok(())
    });
    (*installed).map_err(io::Error::from_raw_os_error)
}

/// The SIGBUS handler. Async-signal-safe: atomic loads and stores, `mmap`, `sigaction` and
/// `raise`, no allocation, no locks. (POSIX does not list `mmap` as async-signal-safe, but it
/// is a plain system call, and mapping over a fault from its handler is the usual way.)
extern "C" fn on_sigbus(signal: c_int, info: *mut libc::siginfo_t, _context: *mut c_void) {
    let errno = Errno::last_raw();
    // SAFETY: with SA_SIGINFO the kernel passes a valid siginfo. `si_addr` is only meaningful
    // for a fault, which is what a positive `si_code` means; a sent signal's is not looked at.
    let (code, address) = unsafe { ((*info).si_code, (*info).si_addr() as usize) };
    if !(code > 0 && repair(address)) {
        not_ours(signal, code);
    }
    Errno::set_raw(errno);
}

/// Maps zeros from the page of `address` to the end of the registered mapping holding it, and
/// marks that mapping; false if no mapping holds it, or the zeros cannot be mapped.
fn repair(address: usize) -> bool {
    let page = page_size();
    for slot in &REGISTRY {
        let Some((start, len)) = slot.read() else {
            continue;
        };
        if address < start || address - start >= len {
            continue;
        }
        let from = address & !(page - 1);
        // SAFETY: [from, start + len) lies within a live mapping of ours, which MAP_FIXED
        // replaces by readable zeros; nothing else lives there.
        let zeros = unsafe {
            libc::mmap(
                from as *mut c_void,
                start + len - from,
                libc::PROT_READ,
                libc::MAP_FIXED | libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if zeros == libc::MAP_FAILED {
            // Returning would fault again for ever: better to crash as if unhandled.
            return false;
        }
        slot.shrank.store(true, SeqCst);
        return true;
    }
    false
}

/// A SIGBUS that is not a shrink under one of our mappings: let it do what it would have done.
fn not_ours(signal: c_int, code: c_int) {
    // SAFETY: all zeros is SIG_DFL with no flags and an empty mask.
    let default: libc::sigaction = unsafe { std::mem::zeroed() };
    let previous = PREVIOUS.get();
    if code > 0 {
        // A fault: put the previous handler back; the load faults again as soon as this
        // returns, and is handled as it would have been without us.
        // SAFETY: sigaction with an action that lives as long as the process.
        unsafe { libc::sigaction(signal, previous.unwrap_or(&default), ptr::null_mut()) };
    } else if previous.is_none_or(|previous| previous.sa_sigaction != libc::SIG_IGN) {
        // Sent by kill or raise: nothing happens again by itself, and std's handler would only
        // put the default back and return, so the default action now. The signal is blocked
        // while this handler runs: it is delivered, and ends the process, when it returns.
        // SAFETY: sigaction and raise are async-signal-safe.
        unsafe {
            libc::sigaction(signal, &default, ptr::null_mut());
            libc::raise(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::os::unix::fs::FileExt;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;
    use std::sync::atomic::AtomicUsize;
    use std::sync::{RwLock, RwLockReadGuard};

    /// Tests that take slots share this; the one that takes all of them has it alone.
    static SLOTS_IN_USE: RwLock<()> = RwLock::new(());

    fn shared() -> RwLockReadGuard<'static, ()> {
        SLOTS_IN_USE
            .read()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    fn page() -> usize {
        // SAFETY: sysconf only reads a configuration value.
        usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap()
    }

    /// `len` bytes, none of them zero, that differ from page to page.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8 | 1).collect()
    }

    fn file_of(bytes: &[u8]) -> File {
        let mut file = tempfile::tempfile().unwrap();
        io::Write::write_all(&mut file, bytes).unwrap();
        file
    }

    /// Every byte, each read from memory now: the compiler may not reuse an earlier read.
    fn read_all(bytes: &[u8]) -> Vec<u8> {
        // SAFETY: each pointer is to a byte of the slice.
        bytes
            .iter()
            .map(|b| unsafe { ptr::read_volatile(b) })
            .collect()
    }

    /// `original` cut to `len`, then zeros to its old length.
    fn shrunk(original: &[u8], len: usize) -> Vec<u8> {
        let mut bytes = original[..len].to_vec();
        bytes.resize(original.len(), 0);
        bytes
    }

    #[test]
    fn mapped_gives_the_exact_bytes() {
        let _slots = shared();
        let original = pattern(3 * page() + 123);
        let file = file_of(&original);
        let mapped = Mapped::open(&file).unwrap();
        assert_eq!(&mapped[..], &original[..]);
        assert_eq!(read_all(&mapped), original);
        assert!(!mapped.shrank(), "nothing shrank");
    }

    #[test]
    fn released_pages_read_the_same_again_and_leave_memory() {
        let _slots = shared();
        let original = pattern(64 * page() + 5);
        let file = file_of(&original);
        let mapped = Mapped::open(&file).unwrap();
        assert_eq!(read_all(&mapped), original);
        let resident = || mapped_resident_kib(&mapped);
        let before = resident();
        mapped.release(3..mapped.len());
        assert!(resident() < before, "{} of {before} KiB left", resident());
        assert_eq!(read_all(&mapped), original);
        mapped.release(0..0);
        mapped.release(5..7);
        assert_eq!(&mapped[..], &original[..]);
    }

    /// How many KiB of a mapping are resident in this process, from /proc/self/smaps.
    fn mapped_resident_kib(mapped: &Mapped) -> usize {
        let at = mapped.as_ptr() as usize;
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut lines = smaps.lines();
        while let Some(line) = lines.next() {
            let Some((start, rest)) = line.split_once('-') else {
                continue;
            };
            let end = rest.split_whitespace().next().unwrap_or("");
            let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) else {
                continue;
            };
            if (start..end).contains(&at) {
                let rss = lines.find(|l| l.starts_with("Rss:")).unwrap();
                return rss.split_whitespace().nth(1).unwrap().parse().unwrap();
            }
        }
        panic!("the mapping is not in /proc/self/smaps");
    }

    #[test]
    fn mapped_empty_file_is_an_empty_slice() {
        let file = file_of(b"");
        let mapped = Mapped::open(&file).unwrap();
        assert!(mapped.is_empty());
        assert!(!mapped.shrank());
    }

    /// Maps `len` bytes, reads them if `read_first`, truncates the file to `to`, and reads the
    /// mapping again, which must not crash.
    fn truncated_while_mapped(len: usize, to: usize, read_first: bool) {
        let _slots = shared();
        let original = pattern(len);
        let file = file_of(&original);
        let mapped = Mapped::open(&file).unwrap();
        if read_first {
            assert_eq!(read_all(&mapped), original);
        }
        file.set_len(to as u64).unwrap();
        assert_eq!(read_all(&mapped), shrunk(&original, to));
        assert!(mapped.shrank(), "{len} bytes cut to {to}");
        assert_eq!(mapped.len(), len, "the mapping keeps its length");
    }

    #[test]
    fn mapped_truncated_to_nothing_reads_zeros() {
        truncated_while_mapped(4 * page(), 0, true);
        truncated_while_mapped(4 * page() + 9, 0, false);
    }

    #[test]
    fn mapped_truncated_to_half_keeps_the_first_half() {
        truncated_while_mapped(8 * page(), 4 * page(), true);
        truncated_while_mapped(8 * page(), 4 * page(), false);
    }

    #[test]
    fn mapped_truncated_mid_page_keeps_the_bytes_before_the_cut() {
        truncated_while_mapped(5 * page() + 321, 2 * page() + 77, true);
        truncated_while_mapped(5 * page() + 321, page() - 1, false);
    }

    #[test]
    fn mapped_file_that_grows_keeps_its_length() {
        let _slots = shared();
        let original = pattern(page() + 10);
        let mut file = file_of(&original);
        let mapped = Mapped::open(&file).unwrap();
        io::Write::write_all(&mut file, &pattern(3 * page())).unwrap();
        assert_eq!(read_all(&mapped), original);
        assert!(!mapped.shrank());
    }

    #[test]
    fn mapped_truncated_while_another_thread_reads() {
        let _slots = shared();
        let page = page();
        for (round, to) in [0, 7 * page + 5, 3 * page, 0, page / 2]
            .into_iter()
            .enumerate()
        {
            let original = pattern(16 * page);
            let file = file_of(&original);
            let mapped = Mapped::open(&file).unwrap();
            let passes = AtomicUsize::new(0);
            let truncated = AtomicBool::new(false);
            let last = std::thread::scope(|scope| {
                let reader = scope.spawn(|| {
                    loop {
                        let after = truncated.load(SeqCst);
                        let bytes = read_all(&mapped);
                        for (i, (&now, &was)) in bytes.iter().zip(&original).enumerate() {
                            let allowed = now == was || (i >= to && now == 0);
                            assert!(allowed, "round {round}: byte {i} is {now}, was {was}");
                        }
                        passes.fetch_add(1, SeqCst);
                        if after {
                            // A whole pass that began after the truncation.
                            return bytes;
                        }
                    }
                });
                while passes.load(SeqCst) == 0 && !reader.is_finished() {
                    std::hint::spin_loop();
                }
                file.set_len(to as u64).unwrap();
                truncated.store(true, SeqCst);
                reader.join().unwrap()
            });
            assert_eq!(last, shrunk(&original, to), "round {round}");
            assert!(mapped.shrank(), "round {round}");
        }
    }

    #[test]
    fn mapped_fault_marks_only_its_own_mapping() {
        let _slots = shared();
        let original = pattern(4 * page());
        let (one, two) = (file_of(&original), file_of(&original));
        let (first, second) = (Mapped::open(&one).unwrap(), Mapped::open(&two).unwrap());
        one.set_len(0).unwrap();
        assert_eq!(read_all(&first), shrunk(&original, 0));
        assert_eq!(read_all(&second), original);
        assert!(first.shrank());
        assert!(!second.shrank());
        two.set_len(page() as u64 + 1).unwrap();
        assert_eq!(read_all(&second), shrunk(&original, page() + 1));
        assert!(second.shrank());

        // The same file twice: the flag is the mapping's, not the file's.
        let file = file_of(&original);
        let (first, second) = (Mapped::open(&file).unwrap(), Mapped::open(&file).unwrap());
        file.set_len(0).unwrap();
        assert_eq!(read_all(&first), shrunk(&original, 0));
        assert!(first.shrank());
        assert!(!second.shrank(), "not read since the shrink");
        assert_eq!(read_all(&second), shrunk(&original, 0));
        assert!(second.shrank());
    }

    #[test]
    fn mapped_drop_frees_its_slot() {
        let _all = SLOTS_IN_USE
            .write()
            .unwrap_or_else(|poison| poison.into_inner());
        let original = pattern(2 * page());
        let file = file_of(&original);

        // More mappings, one after the other, than there are slots; each shrinks and is read.
        for round in 0..3 * SLOTS {
            let mapped = Mapped::open(&file).unwrap();
            assert!(
                !mapped.shrank(),
                "round {round}: a new mapping starts unshrunk"
            );
            if round % 2 == 0 {
                file.set_len(page() as u64).unwrap();
                assert_eq!(read_all(&mapped), shrunk(&original, page()));
                assert!(mapped.shrank());
                file.write_all_at(&original, 0).unwrap();
            }
        }

        // All slots at once, then one too many, then one freed and taken again.
        let mut live: Vec<Mapped> = (0..SLOTS).map(|_| Mapped::open(&file).unwrap()).collect();
        let error = Mapped::open(&file).unwrap_err();
        assert!(error.to_string().contains("mapped at once"), "{error}");
        assert!(
            Mapped::open(&file_of(b"")).is_ok(),
            "an empty file takes no slot"
        );
        live.pop();
        live.push(Mapped::open(&file).unwrap());
        for mapped in &live {
            assert_eq!(read_all(mapped), original);
        }
    }

    const CHILD: &str = "BYLINE_MAPPED_SIGBUS_CHILD";
    const CHILD_TEST: &str = "mapped::tests::child_for_foreign_sigbus";

    /// Runs `child_for_foreign_sigbus` in a process of its own, doing `what`.
    fn child(what: &str) -> std::process::Output {
        let exe = std::env::current_exe().unwrap();
        Command::new(exe)
            .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
            .env(CHILD, what)
            .output()
            .unwrap()
    }

    #[test]
    fn mapped_leaves_a_foreign_sigbus_fatal() {
        for what in ["raise", "fault"] {
            let output = child(what);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("about to"),
                "{what}: child got nowhere: {stderr}"
            );
            assert_eq!(
                output.status.signal(),
                Some(libc::SIGBUS),
                "{what}: {:?}; {stderr}",
                output.status,
            );
        }
    }

    /// Only does something in the child of `mapped_leaves_a_foreign_sigbus_fatal`: installs the
    /// handler, shows it repairs its own mapping, then raises SIGBUS outside any mapping.
    #[test]
    fn child_for_foreign_sigbus() {
        let Ok(what) = std::env::var(CHILD) else {
            return;
        };
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the limit given; alarm only arms a timer.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            // A handler that returned on a fault it cannot mend would fault for ever: then the
            // child dies of SIGALRM instead, and the parent sees the wrong signal.
            libc::alarm(120);
        }

        let original = pattern(2 * page());
        let ours = file_of(&original);
        let mapped = Mapped::open(&ours).unwrap();
        ours.set_len(0).unwrap();
        assert_eq!(read_all(&mapped), shrunk(&original, 0));
        assert!(mapped.shrank());
        // SAFETY: sigaction writes the current action into a zeroed C struct.
        let current = unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGBUS, ptr::null(), &mut current);
            current
        };
        assert_eq!(current.sa_sigaction, on_sigbus as *const () as usize);

        match what.as_str() {
            "raise" => {
                eprintln!("about to raise SIGBUS");
                // SAFETY: raise sends a signal to this thread.
                unsafe { libc::raise(libc::SIGBUS) };
            }
            "fault" => {
                // A mapping of our own making, not registered: a plain truncated mmap.
                let theirs = file_of(&original);
                // SAFETY: a fresh read-only mapping chosen by the kernel.
                let start = unsafe {
                    libc::mmap(
                        ptr::null_mut(),
                        original.len(),
                        libc::PROT_READ,
                        libc::MAP_SHARED,
                        theirs.as_raw_fd(),
                        0,
                    )
                };
                assert_ne!(start, libc::MAP_FAILED);
                theirs.set_len(0).unwrap();
                eprintln!("about to fault outside our mappings");
                // SAFETY: the address is mapped; past the file's end, so it raises SIGBUS.
                let byte = unsafe { ptr::read_volatile(start.cast::<u8>().add(page())) };
                eprintln!("read {byte}");
            }
            _ => panic!("unknown child task {what}"),
        }
        eprintln!("survived a foreign SIGBUS");
        std::process::exit(0);
    }
}
