// The console app arrives with issue 4.
