//! The allocator of the `openapi-codegen` and `cargo xtask` binaries: mimalloc, set up for the
//! generator (feature `mimalloc`, on by default; a build script that calls only [`crate::build`]
//! can turn it off with `default-features = false`).
//!
//! The generator allocates many small token trees: glibc malloc cost a third more CPU. It calls
//! `libmimalloc-sys` directly rather than through the `mimalloc` crate, whose allocator takes
//! mimalloc's aligned path for every allocation (twice the instructions per allocation; nexus.json:
//! 2 million allocations, a tenth of the generator's instructions); here the aligned path is only
//! for types that need more than every block has. And mimalloc's defaults trade memory for speed:
//! arenas are committed eagerly. The generator frees each file's tokens as soon as it is printed,
//! so committing on demand and purging freed pages soon cut the peak resident memory to a third
//! (nexus.json, 197 KB: 35 -> 14 MB; docker-engine.yaml, 473 KB: 39 -> 19 MB) at the same CPU
//! time. Purging 10 ms after the free rather than at once costs a few MB (17 and 25 MB) and
//! saves a tenth of the time on multi-megabyte specs (asana.yaml, 3 MB: 0.44 -> 0.39 s, 42 ->
//! 54 MB), where the purges' system calls added up. A binary installs both with
//! [`install_allocator!`](crate::install_allocator).

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc, asked for alignment only when a type needs more than [`MIN_ALIGN`].
pub struct Allocator;

/// Every mimalloc block of at least this size is aligned to it (`MI_MAX_ALIGN_SIZE`), as with
/// the system allocator's `MIN_ALIGN`.
pub const MIN_ALIGN: usize = 16;

fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

// SAFETY: each function hands the layout's size (and, unless `plain`, its alignment) to the
// matching mimalloc function; blocks from either path are freed and resized by `mi_free` and
// `mi_realloc*`, which accept both.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), new_size) {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

/// Arena commit on demand and purging 10 ms after the free. The option numbers are those of `mi_option_e`
/// in mimalloc.h (v2 and v3 agree), which libmimalloc-sys does not name. The first arena is
/// reserved at the first allocation, before `main`: on ELF platforms [`install_allocator!`]
/// calls this from a constructor, which the C runtime runs before the Rust runtime allocates
/// (set from `main`, the nexus figure above stays at 35 MB); elsewhere call it first in `main`.
pub fn set_options() {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is allowed at any time, before or after the first allocation.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
    }
}

/// Called just before the process exits: no more purging. mimalloc collects every heap at exit
/// and so returns its freed pages to the kernel one range at a time, which the kernel's own
/// teardown of the process does at once anyway (nexus.json: about 30 `madvise` calls, 1-2 ms of
/// a 50 ms run).
pub fn before_exit() {
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is allowed at any time; a negative delay turns purging off.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

/// Makes [`Allocator`] the binary's global allocator and, on Linux, calls [`set_options`] before
/// `main` (call it at the start of `main` elsewhere).
#[macro_export]
macro_rules! install_allocator {
    () => {
        #[global_allocator]
        static ALLOCATOR: $crate::alloc::Allocator = $crate::alloc::Allocator;

        #[cfg(target_os = "linux")]
        #[used]
        #[unsafe(link_section = ".init_array")]
        static ALLOCATOR_OPTIONS: extern "C" fn() = {
            extern "C" fn set() {
                $crate::alloc::set_options();
            }
            set
        };
    };
}
