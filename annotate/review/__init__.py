"""Review as a moderation team does it: several blind reviewers per passage, agreement,
adjudication, gold tasks and reviewer wellbeing, on a Label Studio Community server."""
