//! placeholder (lead): replaced by the fake server helper.
