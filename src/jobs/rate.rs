//! Pacing for the sender: evenly spaced sends at `rate` per second, that
//! may catch up a little after a slow request, and a sliding-window guard
//! that never lets more than `rate` sends into any window of a second.

use std::{collections::VecDeque, time::Duration};

use tokio::time::Instant;

/// How far behind schedule the pacer still catches up.
const CATCH_UP: Duration = Duration::from_millis(250);
/// The guard's window: a second plus room for network jitter, so that the
/// server, which sees the sends a little later, also counts at most `rate`.
const WINDOW: Duration = Duration::from_millis(1015);

#[derive(Debug)]
pub struct RateLimiter {
    spacing: Duration,
    max_in_window: usize,
    next_slot: Instant,
    recent: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(rate: f64, now: Instant) -> Self {
        let rate = crate::config::effective_send_rate(rate);
        RateLimiter {
            spacing: Duration::from_secs_f64(1.0 / rate),
            max_in_window: (rate.floor() as usize).max(1),
            next_slot: now,
            recent: VecDeque::new(),
        }
    }

    /// When the next send may start.
    pub fn ready_at(&self, now: Instant) -> Instant {
        let mut at = self.next_slot.max(now);
        if self.recent.len() >= self.max_in_window {
            let oldest = self.recent[self.recent.len() - self.max_in_window];
            at = at.max(oldest + WINDOW);
        }
        at
    }

    /// Records a send that started at `at`.
    pub fn record(&mut self, at: Instant) {
        self.recent.push_back(at);
        while self.recent.len() > self.max_in_window {
            self.recent.pop_front();
        }
        let floor = at.checked_sub(CATCH_UP).unwrap_or(at);
        self.next_slot = self.next_slot.max(floor) + self.spacing;
    }

    /// Nothing is sent before `until` (Telegram's retry_after).
    pub fn pause_until(&mut self, until: Instant) {
        self.next_slot = self.next_slot.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `n` messages, each taking `latency`, and returns the start times.
    fn simulate(rate: f64, n: usize, latency: impl Fn(usize) -> Duration) -> Vec<Instant> {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(rate, start);
        let mut now = start;
        let mut starts = Vec::new();
        for i in 0..n {
            let at = limiter.ready_at(now);
            limiter.record(at);
            starts.push(at);
            now = at + latency(i);
        }
        starts
    }

    fn max_in_any_second(starts: &[Instant]) -> usize {
        let mut max = 0;
        let mut lo = 0;
        for hi in 0..starts.len() {
            while starts[hi] - starts[lo] >= Duration::from_secs(1) {
                lo += 1;
            }
            max = max.max(hi - lo + 1);
        }
        max
    }

    #[test]
    fn fast_requests_are_spaced_at_the_rate() {
        let starts = simulate(300.0, 3000, |_| Duration::from_micros(200));
        assert!(max_in_any_second(&starts) <= 300);
        let span = (starts[2999] - starts[0]).as_secs_f64();
        let achieved = 2999.0 / span;
        assert!(achieved >= 0.975 * 300.0, "{achieved}");
    }

    #[test]
    fn slow_requests_catch_up_but_never_burst_past_the_ceiling() {
        // Every tenth request stalls for 30 ms.
        let starts = simulate(300.0, 3000, |i| {
            if i % 10 == 0 {
                Duration::from_millis(30)
            } else {
                Duration::from_micros(500)
            }
        });
        assert!(max_in_any_second(&starts) <= 300);
        let achieved = 2999.0 / (starts[2999] - starts[0]).as_secs_f64();
        assert!(achieved >= 0.95 * 300.0, "{achieved}");
    }

    #[test]
    fn a_pause_holds_everything() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(25.0, start);
        limiter.record(start);
        limiter.pause_until(start + Duration::from_secs(3));
        assert!(limiter.ready_at(start) >= start + Duration::from_secs(3));
    }
}
