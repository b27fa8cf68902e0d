// Prevents an additional console window on Windows in release.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc: an import allocates fills on its reading thread and frees them on the writing
/// thread, where the system allocator contends on its arena locks (a million-fill import
/// took 12.5 s with it, 8.9 s with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    tradebook_app::run();
}
