fn main() { convene::cli::main() }
