// Shared by the fuzz targets: an invariant that traps when broken.

func check(_ condition: Bool, _ message: StaticString) {
    if !condition { fatalError("\(message)") }
}
