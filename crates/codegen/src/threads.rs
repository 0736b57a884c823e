//! Two pieces of work at once, for the steps before the generator's threads start (reading,
//! converting), when the other core would be idle.

/// `first()` on a second thread (with the generator's stack) and `second()` on this one, when
/// `parallel`; both on this one otherwise. Should the thread not start (resource limits) or
/// panic, `first` runs here: the answer never depends on whether a thread was had.
pub(crate) fn both<A: Send, B>(parallel: bool, first: impl Fn() -> A + Sync, second: impl FnOnce() -> B) -> (A, B) {
    if !parallel {
        return (first(), second());
    }
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().stack_size(crate::GENERATOR_STACK).spawn_scoped(scope, &first).ok();
        let second = second();
        let first = thread.and_then(|thread| thread.join().ok()).unwrap_or_else(&first);
        (first, second)
    })
}

/// Where to cut items of these weights in two: the end of the first half, by weight.
pub(crate) fn halfway(weights: &[usize]) -> usize {
    crate::render::Chunk { index: 0, count: 2 }.range(weights).end
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_answer_the_same_on_one_thread_or_two() {
        let work = |n: u64| (0..n).sum::<u64>();
        assert_eq!(super::both(true, || work(1000), || work(10)), (499_500, 45));
        assert_eq!(super::both(false, || work(1000), || work(10)), (499_500, 45));
    }

    #[test]
    fn the_first_half_ends_at_half_the_weight() {
        assert_eq!(super::halfway(&[1, 1, 1, 1]), 2);
        assert_eq!(super::halfway(&[10, 1, 1, 1]), 1);
        assert_eq!(super::halfway(&[]), 0);
    }
}
