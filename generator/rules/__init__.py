"""Rule checks beyond the JSON Schema: dates, document numbers, index numbers, markup, attachments."""
