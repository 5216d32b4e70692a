//! Spreading work over the machine's cores.

/// Starts `work` on a thread that yields the cores to the reader's own: background work
/// (reloading, searching, freeing a replaced corpus) must never delay a key on two cores.
/// Threads it starts in turn inherit the lower priority.
pub fn in_background<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(move || {
        // SAFETY: setpriority only changes the calling thread's nice value (Linux: who = 0 is
        // the calling thread); a failure leaves it as it was.
        unsafe { nix::libc::setpriority(nix::libc::PRIO_PROCESS, 0, BACKGROUND_NICE) };
        work()
    })
}

/// How much lower than the reader background threads run (`nice`).
const BACKGROUND_NICE: nix::libc::c_int = 10;

/// Below this many items a thread is not worth its start.
const PARALLEL_FROM: usize = 2048;

/// Runs `f` over `items` in order, split across the available cores, and concatenates the
/// results in the same order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    in_parallel_from(items, PARALLEL_FROM, f)
}

/// [`in_parallel`] for items that each cost more: a thread is worth it from `fewest` items
/// on (a few dozen articles to search, say).
pub fn in_parallel_from<T: Sync, R: Send>(
    items: &[T],
    fewest: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len() / fewest.max(1));
    if threads <= 1 {
        return f(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| f(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Runs `f` on each of `items`, split across the available cores however few the items are,
/// and gives the results in the items' order: for a few large pieces of work, such as the
/// parts of an index.
pub fn each_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_threads_and_theirs_run_below_the_reader() {
        let nice = || unsafe { nix::libc::getpriority(nix::libc::PRIO_PROCESS, 0) };
        let mine = nice();
        let (theirs, their_child) =
            in_background(move || (nice(), std::thread::spawn(nice).join()))
                .join()
                .unwrap();
        assert_eq!(theirs, (mine + BACKGROUND_NICE).min(19));
        assert_eq!(their_child.unwrap(), theirs, "inherited");
        assert_eq!(nice(), mine, "the caller's own priority is unchanged");
    }

    #[test]
    fn each_item_s_result_comes_in_the_order_of_the_items() {
        let items: Vec<usize> = (0..37).collect();
        let doubled = each_in_parallel(&items, |i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(each_in_parallel(&[] as &[usize], |i| *i).is_empty());
    }

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..20_000).collect();
        let doubled = in_parallel(&items, |part| part.iter().map(|i| i * 2).collect());
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }
}
