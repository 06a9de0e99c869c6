import ArgumentParser

@main
struct WeavrGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weavr-gateway",
        abstract: "A multi-tenant gateway in front of the Weavr Multi API.",
        subcommands: [DemoCommand.self, ServeCommand.self, ConfigCommand.self, SimulatorCommand.self, TenantCommand.self, KeysCommand.self, AdminTokenCommand.self, AuditCommand.self, MigrateCommand.self, DbCommand.self]
    )
}
