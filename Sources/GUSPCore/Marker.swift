public enum GUSPCoreMarker {}
