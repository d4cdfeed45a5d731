"""The Team & Roster area: member sheets in and out (the roster and editors come with the team issue)."""
