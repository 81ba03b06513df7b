"""Closing the loop: did MassHealth act on what the portal accepted? `posc reconcile` matches a
run's done disenrollments to the terminations of the plan's 834 files; `posc follow-up` reads
each done unlink's request status on Inquire Profile Update Status. Both add their findings
beside the run's results and to its report, and refresh the folder's manifest.

Reads a finished run folder; imports the reports, the ledger and the engine (follow-up logs in
as a run does); nothing imports it but the command line.
"""
