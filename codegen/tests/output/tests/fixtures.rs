//! The fixture outputs do what their specs say: the request each builder
//! produces, and how models and enums read and write JSON.

use scim_codegen_output::{nested_refs, parameters, string_enums};
use scim_sdk::{Method, Operation};

fn client<C: From<scim_sdk::Client>>() -> C {
    C::from(scim_sdk::Client::builder().bearer("t").build().unwrap())
}

#[test]
fn parameters_land_in_the_path_and_query() {
    let client: parameters::Client = client();
    let (_, request) = client
        .get_item("a/b", 7, "x eq 1")
        .start_index(3)
        .attributes(["id", "name"])
        .into_parts()
        .unwrap();
    assert_eq!(request.operation().method, Method::Get);
    assert_eq!(
        request.path_and_query(),
        "/users/a%2Fb/items/7?filter=x%20eq%201&startIndex=3&attributes=id,name"
    );
}

#[test]
fn a_list_operation_pages() {
    use scim_sdk::Paginated;
    let client: nested_refs::Client = client();
    let next = client.list_owners().with_start_index(11);
    assert_eq!(Paginated::start_index(&next), Some(11));
    let page = serde_json::json!({"Resources": [{}, {}], "totalResults": 12});
    let page =
        nested_refs::operations::ListOwners::into_page(serde_json::from_value(page).unwrap());
    assert_eq!((page.items.len(), page.total_results), (2, Some(12)));
}

#[test]
fn a_list_response_of_the_scim_shape_is_the_runtime_list_response() {
    use scim_sdk::Paginated;
    let json = serde_json::json!({
        "totalResults": 3, "startIndex": 2, "Resources": [{"city": "Oslo"}], "next": "x"
    });
    let page: scim_sdk::ListResponse<nested_refs::models::Address> =
        serde_json::from_value::<nested_refs::models::AddressPage>(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap(), json);
    let page = nested_refs::operations::ListAddresses::into_page(page);
    assert_eq!(page.items[0].city.as_deref(), Some("Oslo"));
    assert_eq!((page.total_results, page.start_index), (Some(3), Some(2)));
}

#[test]
fn enums_keep_values_they_do_not_know() {
    use string_enums::models::{Color, PetKind};
    assert_eq!(PetKind::from("2-headed"), PetKind::V2Headed);
    assert_eq!(Color::from("blue"), Color::Unknown("blue".into()));
    let pet: string_enums::models::Pet =
        serde_json::from_value(serde_json::json!({"kind": "tRex", "legs": 2})).unwrap();
    assert_eq!(pet.kind, Some(PetKind::TRex));
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"kind": "tRex", "legs": 2})
    );
}

#[test]
fn enum_values_that_sanitise_alike_each_get_a_variant() {
    use scim_codegen_output::name_collisions::models::Status;
    // `unknown` cannot take the name of the catch-all that keeps unlisted values.
    assert_eq!(Status::from("unknown"), Status::UnknownValue);
    assert_eq!(Status::from("Unknown"), Status::UnknownValue2);
    assert_eq!(
        Status::from("elsewhere"),
        Status::Unknown("elsewhere".into())
    );
    for value in Status::KNOWN_VALUES {
        let status = Status::from(*value);
        assert!(!matches!(status, Status::Unknown(_)), "{value:?}");
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            serde_json::json!(value)
        );
    }
}

#[test]
fn fields_and_parameters_that_sanitise_alike_keep_their_wire_names() {
    use scim_codegen_output::name_collisions::{Client, models::Pet};
    let pet = Pet::new()
        .with_user_name("a")
        .with_user_name_2("b")
        .with_additional_properties_2("c");
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"user-name": "a", "userName": "b", "additional_properties": "c"})
    );
    let client: Client = client();
    let (_, request) = client
        .get_user("u1")
        .user_id_2("u2")
        .client_2("c")
        .send_2(true)
        .into_parts()
        .unwrap();
    assert_eq!(
        request.path_and_query(),
        "/users/u1?user-id=u2&client=c&send=true"
    );
}
