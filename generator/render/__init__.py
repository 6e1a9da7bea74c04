"""Render: pages, charts, head and structured data, feeds, open data and the security policy, as text and bytes."""
