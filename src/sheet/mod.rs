//! The annual comment sheet as a document.

pub mod build;
pub mod deliver;
pub mod docx;
pub mod pdf;
