//! Members move and change.
