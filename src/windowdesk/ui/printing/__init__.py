"""Print preview and printing through Qt's print system; the documents come from
``windowdesk.printing`` as PDF bytes."""
