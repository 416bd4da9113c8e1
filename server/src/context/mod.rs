//! .dockerignore, compose, build context (in progress)
