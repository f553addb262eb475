//! Pieces every page is made of, below the pages (no page module is imported from here):
//! rendering and the layout's navigation, display of dates and choices, form extraction and the
//! one "show the form again" state, the field and row-grid views of the section editors, and
//! links after a POST.

pub mod audit;
pub mod batch;
pub mod case_parts;
pub mod cert_view;
pub mod client_row;
pub mod csv_export;
pub mod dashboard;
pub mod device;
pub mod display;
pub mod family_wishes;
pub mod figures;
pub mod form;
pub mod grid;
pub mod import;
pub mod import_file;
pub mod links;
pub mod note_row;
pub mod passkey;
pub mod password;
pub mod person_file;
pub mod print;
pub mod records;
pub mod render;
pub mod resource_import;
pub mod section;
pub mod sign_in;
pub mod staff;
pub mod team_import;
pub mod timeline;
