//! lienhe: a Telegram bot that records party members' contact with their
//! residence cell (Regulation 213-QĐ/TW) and the secretaries' approval of it.

pub mod app;
pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contain;
pub mod doctor;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod jobs;
pub mod lane;
pub mod roster_file;
pub mod sheet;
pub mod stats;
pub mod store;
pub mod telegram;
pub mod telemetry;
