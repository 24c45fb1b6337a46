//! The work queue of an apply: tasks wait for the tasks they depend on and
//! for their not-before time, tasks marked `last` for all the others,
//! workers block until one is due, and the whole queue can be stopped.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// Tasks by index, each with the indices of the tasks it waits for.
pub(crate) struct Queue<J> {
    state: Mutex<State<J>>,
    wake: Condvar,
}

struct State<J> {
    tasks: Vec<Task<J>>,
    /// Due tasks by (not-before, index): among those due, plan order.
    ready: BinaryHeap<Reverse<(Instant, usize)>>,
    /// Tasks not finished yet.
    open: usize,
    /// Of those, the ones not marked `last`.
    open_first: usize,
    /// `last` tasks with nothing else to wait for, held until `open_first` is 0.
    held: Vec<usize>,
    /// Tasks a worker holds.
    running: usize,
    stopped: bool,
}

struct Task<J> {
    job: J,
    /// Dependencies not finished yet.
    waiting_on: usize,
    dependents: Vec<usize>,
    last: bool,
    finished: bool,
}

impl<J: Copy> Queue<J> {
    /// A queue of `jobs`, each with the indices of the jobs it depends on,
    /// and whether it runs only after all jobs not so marked. A dependency
    /// on an index out of range, or on itself, is ignored.
    pub(crate) fn new(jobs: Vec<(J, Vec<usize>, bool)>) -> Self {
        let now = Instant::now();
        let count = jobs.len();
        let mut tasks: Vec<Task<J>> = Vec::with_capacity(count);
        let mut edges = Vec::new();
        for (i, (job, deps, last)) in jobs.into_iter().enumerate() {
            let mut deps: Vec<usize> = deps.into_iter().filter(|d| *d < count && *d != i).collect();
            deps.sort_unstable();
            deps.dedup();
            tasks.push(Task {
                job,
                waiting_on: deps.len(),
                dependents: Vec::new(),
                last,
                finished: false,
            });
            edges.extend(deps.into_iter().map(|d| (d, i)));
        }
        for (from, to) in edges {
            tasks[from].dependents.push(to);
        }
        let open_first = tasks.iter().filter(|t| !t.last).count();
        let mut state = State {
            tasks,
            ready: BinaryHeap::new(),
            open: count,
            open_first,
            held: Vec::new(),
            running: 0,
            stopped: false,
        };
        for i in 0..count {
            if state.tasks[i].waiting_on == 0 {
                state.release(i, now);
            }
        }
        Queue {
            state: Mutex::new(state),
            wake: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<J>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next due task, waiting for one; `None` when all are finished,
    /// the queue is stopped, or nothing can become due any more.
    pub(crate) fn next(&self) -> Option<(usize, J)> {
        let mut state = self.lock();
        loop {
            if state.stopped || state.open == 0 {
                return None;
            }
            let now = Instant::now();
            match state.ready.peek().map(|Reverse(top)| *top) {
                Some((due, i)) if due <= now => {
                    state.ready.pop();
                    state.running += 1;
                    return Some((i, state.tasks[i].job));
                }
                Some((due, _)) => {
                    state = self
                        .wake
                        .wait_timeout(state, due - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                // Only a running task can make more due.
                None if state.running > 0 => {
                    state = self
                        .wake
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                None => return None,
            }
        }
    }

    /// Marks task `i` finished (done or failed): its dependents may run.
    pub(crate) fn finish(&self, i: usize) {
        let mut state = self.lock();
        let now = Instant::now();
        state.running = state.running.saturating_sub(1);
        if !std::mem::replace(&mut state.tasks[i].finished, true) {
            state.open -= 1;
            if !state.tasks[i].last {
                state.open_first -= 1;
            }
        }
        let dependents = std::mem::take(&mut state.tasks[i].dependents);
        for d in dependents {
            let task = &mut state.tasks[d];
            task.waiting_on = task.waiting_on.saturating_sub(1);
            if task.waiting_on == 0 {
                state.release(d, now);
            }
        }
        if state.open_first == 0 {
            for d in std::mem::take(&mut state.held) {
                state.ready.push(Reverse((now, d)));
            }
        }
        self.wake.notify_all();
    }

    /// Puts task `i` back, to run again not before `until`.
    pub(crate) fn defer(&self, i: usize, until: Instant) {
        let mut state = self.lock();
        state.running = state.running.saturating_sub(1);
        state.ready.push(Reverse((until, i)));
        self.wake.notify_all();
    }

    /// Hands out no more tasks; those running finish.
    pub(crate) fn stop(&self) {
        self.lock().stopped = true;
        self.wake.notify_all();
    }

    /// The tasks not finished, in plan order.
    pub(crate) fn unfinished(&self) -> Vec<J> {
        self.lock()
            .tasks
            .iter()
            .filter(|t| !t.finished)
            .map(|t| t.job)
            .collect()
    }
}

impl<J> State<J> {
    /// Task `i` has nothing left to wait for but, if `last`, the others.
    fn release(&mut self, i: usize, now: Instant) {
        if self.tasks[i].last && self.open_first > 0 {
            self.held.push(i);
        } else {
            self.ready.push(Reverse((now, i)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_task_runs_after_its_dependencies_and_a_deferred_one_when_due() {
        let queue = Queue::new(vec![
            ('a', vec![1], false),
            ('b', vec![], false),
            ('c', vec![], false),
        ]);
        assert_eq!(queue.next(), Some((1, 'b')));
        queue.defer(1, Instant::now() + Duration::from_millis(30));
        assert_eq!(queue.next(), Some((2, 'c')));
        queue.finish(2);
        let started = Instant::now();
        assert_eq!(queue.next(), Some((1, 'b')));
        assert!(started.elapsed() >= Duration::from_millis(20));
        queue.finish(1);
        assert_eq!(queue.next(), Some((0, 'a')));
        queue.finish(0);
        assert_eq!(queue.next(), None);
    }

    #[test]
    fn a_stopped_queue_hands_out_nothing_and_lists_what_is_left() {
        let queue = Queue::new(vec![('a', vec![], false), ('b', vec![0], false)]);
        assert_eq!(queue.next(), Some((0, 'a')));
        queue.stop();
        queue.finish(0);
        assert_eq!(queue.next(), None);
        assert_eq!(queue.unfinished(), ['b']);
    }

    #[test]
    fn a_last_task_waits_for_all_the_others() {
        let queue = Queue::new(vec![('z', vec![], true), ('a', vec![], false)]);
        assert_eq!(queue.next(), Some((1, 'a')));
        queue.finish(1);
        assert_eq!(queue.next(), Some((0, 'z')));
    }
}
