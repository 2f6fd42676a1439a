//! Statistics for secretaries and supervisors.

pub mod chart;
