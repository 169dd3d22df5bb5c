// client/report: being written.
