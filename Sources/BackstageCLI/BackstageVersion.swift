/// The one place the version lives: `backstage --version` and the man page read it from here.
public enum BackstageVersion {
    public static let current = "0.9.0"
}
