// Lets a test binary build while its folder has no test yet.
