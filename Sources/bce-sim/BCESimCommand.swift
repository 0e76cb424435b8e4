@main
enum BCESimCommand {
    static func main() async {
        print("bce-sim: server part pending")
    }
}
