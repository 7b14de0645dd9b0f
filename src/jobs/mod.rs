//! Background work for the reader: a [`SingleJob`] runner per kind of work (comparing two
//! versions, collating a story; later indexing and feed polling), like gitui's
//! `AsyncSingleJob`. At most one run is under way per runner, and at most one request waits
//! behind it: a newer request replaces the waiting one, so a user stepping through stories
//! never queues up work for stories they left. [`SingleJob::cancel`] raises the running work's
//! flag (the work checks [`JobContext::is_cancelled`] between steps and stops) and drops the
//! waiting request. The work reports progress and its result through a callback, which the
//! runtime turns into messages for the app: nothing here knows the app or the terminal.
//!
//! Adding a job: a function `Fn(Input, &JobContext<P>) -> Option<Output>`, a `SingleJob` for
//! it in `runtime/`, an `Effect` asking for it and a `Msg` bringing its result back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// What a running job sees: its cancel flag and a way to report progress.
pub(crate) struct JobContext<P> {
    cancelled: Arc<AtomicBool>,
    progress: Arc<dyn Fn(P) + Send + Sync>,
}

impl<P> JobContext<P> {
    /// Whether the job was cancelled or replaced: the work should stop and return None.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Reports progress (the runtime decides how often it is shown).
    pub(crate) fn progress(&self, p: P) {
        (self.progress)(p);
    }
}

/// What a runner reports.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JobEvent<O> {
    /// The work finished with this output (not sent for cancelled work).
    Done(O),
    /// The work stopped: cancelled, or it gave no output.
    Stopped,
    /// The work could not start (no thread) or panicked; the message says which.
    Failed(String),
}

type Work<I, O, P> = dyn Fn(I, &JobContext<P>) -> Option<O> + Send + Sync;

struct Slots<I> {
    /// The cancel flag of the run under way, if any.
    running: Option<Arc<AtomicBool>>,
    /// The request waiting for the run under way to end.
    pending: Option<I>,
}

struct Shared<I, O, P> {
    slots: Mutex<Slots<I>>,
    work: Box<Work<I, O, P>>,
    report: Box<dyn Fn(JobEvent<O>) + Send + Sync>,
    progress: Arc<dyn Fn(P) + Send + Sync>,
    name: String,
}

impl<I, O, P> Shared<I, O, P> {
    fn slots(&self) -> MutexGuard<'_, Slots<I>> {
        // The lock is held only to swap the slots: a panic cannot leave them half changed.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs one kind of work on a background thread: one run at a time, one request waiting.
pub(crate) struct SingleJob<I, O, P = ()> {
    shared: Arc<Shared<I, O, P>>,
}

impl<I, O, P> SingleJob<I, O, P>
where
    I: Send + 'static,
    O: Send + 'static,
    P: 'static,
{
    /// A runner called `name` (its thread's name) doing `work`, sending progress to
    /// `progress` and each run's end to `report`.
    pub(crate) fn new(
        name: impl Into<String>,
        work: impl Fn(I, &JobContext<P>) -> Option<O> + Send + Sync + 'static,
        progress: impl Fn(P) + Send + Sync + 'static,
        report: impl Fn(JobEvent<O>) + Send + Sync + 'static,
    ) -> SingleJob<I, O, P> {
        SingleJob {
            shared: Arc::new(Shared {
                slots: Mutex::new(Slots {
                    running: None,
                    pending: None,
                }),
                work: Box::new(work),
                report: Box::new(report),
                progress: Arc::new(progress),
                name: name.into(),
            }),
        }
    }

    /// Asks for `input` to be worked on: at once when nothing runs, else after the run under
    /// way, replacing any request already waiting (which is dropped unreported).
    pub(crate) fn request(&self, input: I) {
        let flag = Arc::new(AtomicBool::new(false));
        {
            let mut slots = self.shared.slots();
            if slots.running.is_some() {
                slots.pending = Some(input);
                return;
            }
            slots.running = Some(flag.clone());
        }
        let shared = self.shared.clone();
        let spawned = std::thread::Builder::new()
            .name(self.shared.name.clone())
            .spawn(move || run_loop(&shared, flag, input));
        if let Err(e) = spawned {
            self.shared.slots().running = None;
            (self.shared.report)(JobEvent::Failed(format!("cannot start a thread: {e}")));
        }
    }

    /// Cancels the run under way (its flag is raised; its result, if it still comes, is not
    /// reported) and drops the waiting request.
    pub(crate) fn cancel(&self) {
        let mut slots = self.shared.slots();
        slots.pending = None;
        if let Some(flag) = &slots.running {
            flag.store(true, Ordering::Relaxed);
        }
    }

    #[cfg(test)]
    /// Whether a run is under way or waiting.
    pub(crate) fn is_busy(&self) -> bool {
        let slots = self.shared.slots();
        slots.running.is_some() || slots.pending.is_some()
    }
}

impl<I, O, P> Drop for SingleJob<I, O, P> {
    /// The work is not wanted any more: it is cancelled (its thread ends at its next check).
    fn drop(&mut self) {
        let mut slots = self.shared.slots();
        slots.pending = None;
        if let Some(flag) = &slots.running {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// Works on `input`, then on each request that came meanwhile, until none waits.
fn run_loop<I, O, P>(shared: &Shared<I, O, P>, mut flag: Arc<AtomicBool>, mut input: I) {
    loop {
        let ctx = JobContext {
            cancelled: flag.clone(),
            progress: shared.progress.clone(),
        };
        let out =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (shared.work)(input, &ctx)));
        let event = match out {
            Ok(Some(o)) if !ctx.is_cancelled() => JobEvent::Done(o),
            Ok(_) => JobEvent::Stopped,
            Err(panic) => JobEvent::Failed(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "the work crashed".into()),
            ),
        };
        (shared.report)(event);
        let mut slots = shared.slots();
        match slots.pending.take() {
            Some(next) => {
                flag = Arc::new(AtomicBool::new(false));
                slots.running = Some(flag.clone());
                input = next;
            }
            None => {
                slots.running = None;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// The runner, its results, its progress reports and the go-ahead for the running work.
    type Gated = (
        SingleJob<u32, u32, u32>,
        mpsc::Receiver<JobEvent<u32>>,
        mpsc::Receiver<u32>,
        mpsc::Sender<()>,
    );

    /// A runner whose work waits for a go-ahead (or a cancel), then doubles its input.
    fn gated() -> Gated {
        let (tx, rx) = mpsc::channel();
        let (ptx, prx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Mutex::new(go_rx);
        let tx = Mutex::new(tx);
        let ptx = Mutex::new(ptx);
        let job = SingleJob::new(
            "test-job",
            move |n: u32, ctx: &JobContext<u32>| {
                ctx.progress(n);
                loop {
                    if ctx.is_cancelled() {
                        return None;
                    }
                    let go = go_rx.lock().unwrap();
                    if go.recv_timeout(Duration::from_millis(5)).is_ok() {
                        return Some(n * 2);
                    }
                }
            },
            move |p| {
                let _ = ptx.lock().unwrap().send(p);
            },
            move |e| {
                let _ = tx.lock().unwrap().send(e);
            },
        );
        (job, rx, prx, go_tx)
    }

    const WAIT: Duration = Duration::from_secs(10);

    #[test]
    fn a_newer_request_replaces_the_waiting_one() {
        let (job, done, progress, go) = gated();
        job.request(1);
        assert_eq!(progress.recv_timeout(WAIT), Ok(1), "the first run started");
        job.request(2);
        job.request(3);
        go.send(()).unwrap();
        assert_eq!(done.recv_timeout(WAIT), Ok(JobEvent::Done(2)));
        assert_eq!(progress.recv_timeout(WAIT), Ok(3), "2 was replaced by 3");
        go.send(()).unwrap();
        assert_eq!(done.recv_timeout(WAIT), Ok(JobEvent::Done(6)));
        assert!(done.recv_timeout(Duration::from_millis(50)).is_err());
        for _ in 0..200 {
            if !job.is_busy() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!job.is_busy());
    }

    #[test]
    fn cancel_stops_the_running_work_and_drops_the_waiting_one() {
        let (job, done, progress, _go) = gated();
        job.request(5);
        assert_eq!(progress.recv_timeout(WAIT), Ok(5));
        job.request(6);
        job.cancel();
        assert_eq!(done.recv_timeout(WAIT), Ok(JobEvent::Stopped));
        assert!(
            progress.recv_timeout(Duration::from_millis(50)).is_err(),
            "the waiting request never ran"
        );
    }

    #[test]
    fn a_panicking_job_is_reported_and_the_runner_goes_on() {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let job: SingleJob<u32, u32> = SingleJob::new(
            "test-panic",
            |n: u32, _: &JobContext<()>| {
                if n == 0 {
                    panic!("zero");
                }
                Some(n)
            },
            |_| {},
            move |e| {
                let _ = tx.lock().unwrap().send(e);
            },
        );
        job.request(0);
        assert_eq!(rx.recv_timeout(WAIT), Ok(JobEvent::Failed("zero".into())));
        for _ in 0..200 {
            if !job.is_busy() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        job.request(4);
        assert_eq!(rx.recv_timeout(WAIT), Ok(JobEvent::Done(4)));
    }
}
