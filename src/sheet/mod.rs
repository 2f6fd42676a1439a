//! The annual comment sheet as a document.

pub mod docx;
