"""Three Conversations casework: conversations, not assessments; one worker stays with the
person; team around the family; reviews; live measures (issue 13; domain brief §3.4)."""
