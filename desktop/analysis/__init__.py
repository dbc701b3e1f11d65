"""The figures of a briefing pack (Qt-free, pure pandas and maths): periods, change and significance, rates and
ranks, trends, survey intervals, disclosure control and key findings. DESIGN.md §5 defines each one."""
