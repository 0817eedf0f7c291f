"""GraphQL of timeline exports: the TimelineExport type, exportTimeline, timelineExport and timelineInterchange."""
