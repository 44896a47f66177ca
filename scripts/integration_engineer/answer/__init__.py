"""The integration-engineer's JSON answer: contract, extraction from text, findings and rule ids."""
