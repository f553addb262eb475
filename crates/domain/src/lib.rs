//! yorisoi's domain: types and rules with no I/O.
//!
//! Everything a user types passes through here once (normalised, validated) before it is stored,
//! and every access decision is made by [`policy::authorize`].
#![forbid(unsafe_code)]

pub mod assessment;
pub mod case;
pub mod certificate;
pub mod client;
pub mod date;
pub mod decision;
pub mod disclosure;
pub mod errors;
pub mod import;
pub mod import_resources;
pub mod import_team;
pub mod joint_support;
pub mod meeting;
pub mod monitoring;
pub mod note;
pub mod office;
pub mod plan;
pub mod policy;
pub mod region;
pub mod second_factor;
pub mod team;
pub mod text;
pub mod vignette;

pub use errors::FieldErrors;

// For `code_enum!` expanded in other modules (and crates): their schemas name utoipa through
// this path.
#[doc(hidden)]
pub use utoipa as __utoipa;
